/*
 * Decide from C: open a policy directory, list its artifacts, make a few decisions of every kind each artifact
 * answers (printing them), then time many calls per kind and print per-call latency percentiles.
 *
 *   example POLICY_DIR [CALLS]        (examples/c/run.sh builds it and sets the environment)
 *
 * Environment: DECIDE_CLASSPATH (engine-jni classes and dependencies), optionally JAVA_HOME and DECIDE_JVM_OPTIONS.
 */
#include "decide.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SHOWN 5
#define CANDIDATES 100
#define QUALITY 2
#define TOP 5

static uint64_t rng = 2024;

static double uniform(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int compare(const void* a, const void* b)
{
    const int64_t x = *(const int64_t*)a;
    const int64_t y = *(const int64_t*)b;
    return x < y ? -1 : x > y;
}

static void print_latency(const char* what, int64_t* ns, const long n)
{
    qsort(ns, (size_t)n, sizeof(int64_t), compare);
    printf("  latency %-22s %ld calls: p50 %lld ns, p90 %lld ns, p99 %lld ns, p99.9 %lld ns, max %lld ns\n", what, n,
        (long long)ns[n / 2], (long long)ns[(long)(n * 0.9)], (long long)ns[(long)(n * 0.99)],
        (long long)ns[(long)(n * 0.999)], (long long)ns[n - 1]);
}

static int fail(const char* what)
{
    fprintf(stderr, "%s failed: %s (%s)\n", what, decide_errmsg(), decide_strerror(decide_errcode()));
    return 1;
}

int main(const int argc, char** argv)
{
    if (argc < 2)
    {
        fprintf(stderr, "usage: example POLICY_DIR [CALLS]\n");
        return 64;
    }
    const long calls = argc > 2 ? atol(argv[2]) : 200000;
    decide_options_t options;
    decide_options_init(&options);
    options.jvm_options = getenv("DECIDE_JVM_OPTIONS");
    decide_engine_t* engine = NULL;
    if (decide_open(argv[1], &options, &engine) != DECIDE_OK)
    {
        return fail("decide_open");
    }
    int32_t handles = 0;
    decide_handle_count(engine, &handles);
    printf("policy directory %s: %d artifact name(s)\n", argv[1], handles);
    int64_t* ns = malloc(sizeof(int64_t) * (size_t)(calls > 0 ? calls : 1));
    double sink = 0;

    for (int32_t h = 0; h < handles; h++)
    {
        char name[256];
        int64_t version = 0;
        decide_name(engine, h, name, sizeof(name));
        decide_version(engine, h, &version);
        int32_t features = -1, options_count = -1;
        const int predicts = decide_input_width(engine, h, DECIDE_KIND_PREDICT, &features) == DECIDE_OK;
        const int quotas = decide_input_width(engine, h, DECIDE_KIND_QUOTA, &options_count) == DECIDE_OK;
        printf("artifact '%s' v%lld:%s%s\n", name, (long long)version, predicts ? " predict" : "",
            quotas ? " quota" : "");
        if (predicts)
        {
            double* row = malloc(sizeof(double) * (size_t)(features > 0 ? features : 1));
            double out[64];
            decide_result_t result;
            for (int i = 0; i < SHOWN + calls; i++)
            {
                for (int f = 0; f < features; f++)
                {
                    row[f] = uniform() < 0.1 ? NAN : uniform() * 4 - 2;
                }
                const int64_t t0 = now_ns();
                const int rc = decide_predict(engine, h, row, features, out, 64, &result);
                const int64_t t1 = now_ns();
                if (rc != DECIDE_OK)
                {
                    return fail("decide_predict");
                }
                if (i < SHOWN)
                {
                    printf("  predict row[0..%d] = (%.3f, %.3f, ...) -> %.6f  (v%lld, %d output(s)%s)\n",
                        features - 1, row[0], features > 1 ? row[1] : 0.0, out[0], (long long)result.version,
                        result.count, result.fallback ? ", fallback" : "");
                }
                else
                {
                    ns[i - SHOWN] = t1 - t0;
                    sink += out[0];
                }
            }
            if (calls > 0)
            {
                print_latency("predict", ns, calls);
            }
            free(row);
        }
        if (quotas)
        {
            double* values = malloc(sizeof(double) * (size_t)(options_count > 0 ? options_count : 1));
            decide_result_t result;
            for (int i = 0; i < SHOWN + calls; i++)
            {
                for (int o = 0; o < options_count; o++)
                {
                    values[o] = uniform() * 3;
                }
                int32_t k = -1;
                const int64_t t0 = now_ns();
                const int rc = decide_quota(engine, h, values, options_count, &k, &result);
                const int64_t t1 = now_ns();
                if (rc != DECIDE_OK)
                {
                    return fail("decide_quota");
                }
                if (i < SHOWN)
                {
                    printf("  quota values = (%.3f, %.3f, ...) -> k* = %d  (v%lld%s)\n", values[0],
                        options_count > 1 ? values[1] : 0.0, k, (long long)result.version,
                        result.fallback ? ", fallback" : "");
                }
                else
                {
                    ns[i - SHOWN] = t1 - t0;
                    sink += k;
                }
            }
            if (calls > 0)
            {
                print_latency("quota", ns, calls);
            }
            free(values);
        }
    }

    /* Ranking needs no artifact: a batch of candidates with eCPM and Q quality predictions, Q scalars. */
    static double batch[1 + CANDIDATES * (1 + QUALITY)];
    const int32_t header[2] = { CANDIDATES, QUALITY };
    memcpy(batch, header, sizeof(header));
    for (int c = 0; c < CANDIDATES; c++)
    {
        batch[1 + c * (1 + QUALITY)] = uniform() * 10;
        for (int q = 0; q < QUALITY; q++)
        {
            batch[2 + c * (1 + QUALITY) + q] = uniform() * 0.2;
        }
    }
    const double scalars[QUALITY] = { 8.0, 3.0 };
    const int32_t length = 8 + CANDIDATES * 8 * (1 + QUALITY);
    int32_t top[TOP];
    decide_result_t result;
    for (int i = 0; i < SHOWN + calls; i++)
    {
        const int64_t t0 = now_ns();
        const int rc = decide_rank(engine, batch, length, scalars, QUALITY, TOP, top, TOP, &result);
        const int64_t t1 = now_ns();
        if (rc != DECIDE_OK)
        {
            return fail("decide_rank");
        }
        if (i == 0)
        {
            printf("rank top %d of %d candidates (Q=%d):", TOP, CANDIDATES, QUALITY);
            for (int j = 0; j < result.count; j++)
            {
                printf(" %d", top[j]);
            }
            printf("\n");
        }
        else if (i >= SHOWN)
        {
            ns[i - SHOWN] = t1 - t0;
            sink += top[0];
        }
    }
    if (calls > 0)
    {
        print_latency("rank top-5 of 100", ns, calls);
    }
    free(ns);
    printf("done (checksum %.6g)\n", sink);
    return decide_close(engine) == DECIDE_OK ? 0 : fail("decide_close");
}
