/*
 * decide_bench DIR ITERATIONS: per-call latency of predict, quota and rank through the C ABI, and of the same
 * decisions made by the Java facade inside the JVM (io.decide.jni.BridgeTimings, on this thread, same inputs);
 * the difference of the percentiles is the C -> engine -> C overhead. Both sides time each call with the same
 * monotonic clock (clock_gettime / System.nanoTime), so the clock's own cost cancels.
 * Needs "ctr" (GBDT, 8 features) and "quota" (4 options) in DIR, and the test classes on DECIDE_CLASSPATH.
 * This program opens exactly one engine, so its engine id on the Java side is 0.
 */
#include "decide.h"

#include <dlfcn.h>
#include <jni.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FEATURES 8
#define OPTIONS 4
#define ROWS 1024
#define CANDIDATES 50
#define QUALITY 2
#define TOP 10

static uint64_t rng = 12345;

static double uniform(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}

static inline int64_t now_ns(void)
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

static int64_t percentile(const int64_t* sorted, const long n, const double p)
{
    long i = (long)ceil(p * (double)n) - 1;
    return sorted[i < 0 ? 0 : i];
}

static double row_data[ROWS][FEATURES];
static double value_data[ROWS][OPTIONS];
static double batch[1 + CANDIDATES * (1 + QUALITY)];
static double scalars[QUALITY] = { 2.0, 0.5 };

static void report(const char* what, int64_t* c_ns, int64_t* java_ns, const long n)
{
    qsort(c_ns, (size_t)n, sizeof(int64_t), compare);
    qsort(java_ns, (size_t)n, sizeof(int64_t), compare);
    const int64_t c50 = percentile(c_ns, n, 0.50), c99 = percentile(c_ns, n, 0.99);
    const int64_t j50 = percentile(java_ns, n, 0.50), j99 = percentile(java_ns, n, 0.99);
    printf("%-8s C->engine->C p50 %5lld ns  p99 %6lld ns  p99.9 %6lld ns | Java facade p50 %5lld ns  p99 %6lld ns "
        "| overhead p50 %4lld ns  p99 %5lld ns\n", what, (long long)c50, (long long)c99,
        (long long)percentile(c_ns, n, 0.999), (long long)j50, (long long)j99, (long long)(c50 - j50),
        (long long)(c99 - j99));
}

int main(const int argc, char** argv)
{
    if (argc != 3)
    {
        fprintf(stderr, "usage: decide_bench POLICY_DIR ITERATIONS\n");
        return 64;
    }
    const long n = atol(argv[2]);
    decide_options_t options;
    decide_options_init(&options);
    options.jvm_options = getenv("DECIDE_JVM_OPTIONS");
    decide_engine_t* engine = NULL;
    int32_t ctr = -1, quota = -1;
    if (decide_open(argv[1], &options, &engine) != DECIDE_OK || decide_handle(engine, "ctr", &ctr) != DECIDE_OK ||
        decide_handle(engine, "quota", &quota) != DECIDE_OK)
    {
        fprintf(stderr, "decide_bench: %s\n", decide_errmsg());
        return 2;
    }
    for (int i = 0; i < ROWS; i++)
    {
        for (int f = 0; f < FEATURES; f++)
        {
            row_data[i][f] = uniform() * 4 - 2;
        }
        for (int o = 0; o < OPTIONS; o++)
        {
            value_data[i][o] = uniform() * 3;
        }
    }
    int32_t header[2] = { CANDIDATES, QUALITY };
    memcpy(batch, header, sizeof(header));
    for (int w = 1; w < 1 + CANDIDATES * (1 + QUALITY); w++)
    {
        batch[w] = uniform() * ((w - 1) % (1 + QUALITY) == 0 ? 10.0 : 1.0);
    }
    const int32_t batch_length = 8 + CANDIDATES * 8 * (1 + QUALITY);

    typedef jint (*created_vms_fn)(JavaVM**, jsize, jsize*);
    created_vms_fn created = (created_vms_fn)dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
    JavaVM* vm = NULL;
    jsize count = 0;
    JNIEnv* env = NULL;
    if (created == NULL || created(&vm, 1, &count) != JNI_OK || count < 1 ||
        (*vm)->GetEnv(vm, (void**)&env, JNI_VERSION_1_8) != JNI_OK)
    {
        fprintf(stderr, "decide_bench: no JVM in the process\n");
        return 2;
    }
    jclass timings = (*env)->FindClass(env, "io/decide/jni/BridgeTimings");
    jmethodID time_java = timings == NULL ? NULL :
        (*env)->GetStaticMethodID(env, timings, "time", "(IIIJIJIJ)I");
    if (time_java == NULL)
    {
        fprintf(stderr, "decide_bench: io.decide.jni.BridgeTimings (engine-jni test classes) not on the class path\n");
        return 2;
    }
    int64_t* c_ns = malloc(sizeof(int64_t) * (size_t)n);
    int64_t* java_ns = malloc(sizeof(int64_t) * (size_t)n);
    double sink = 0;
    for (int kind = 1; kind <= 3; kind++)
    {
        for (int pass = 0; pass < 2; pass++) /* pass 0 warms up both sides */
        {
            for (long i = 0; i < n; i++)
            {
                const int r = (int)(i & (ROWS - 1));
                double p;
                int32_t k;
                int32_t top[TOP];
                const int64_t t0 = now_ns();
                int rc;
                if (kind == 1)
                {
                    rc = decide_predict(engine, ctr, row_data[r], FEATURES, &p, 1, NULL);
                    sink += p;
                }
                else if (kind == 2)
                {
                    rc = decide_quota(engine, quota, value_data[r], OPTIONS, &k, NULL);
                    sink += k;
                }
                else
                {
                    rc = decide_rank(engine, batch, batch_length, scalars, QUALITY, TOP, top, TOP, NULL);
                    sink += top[0];
                }
                c_ns[i] = now_ns() - t0;
                if (rc != DECIDE_OK)
                {
                    fprintf(stderr, "decide_bench: %s\n", decide_errmsg());
                    return 1;
                }
            }
            const jint rc = (*env)->CallStaticIntMethod(env, timings, time_java, (jint)kind, (jint)0,
                (jint)(kind == 1 ? ctr : quota), (jlong)(intptr_t)(kind == 1 ? &row_data[0][0] :
                    kind == 2 ? &value_data[0][0] : batch), (jint)(kind == 3 ? batch_length : ROWS),
                (jlong)(intptr_t)scalars, (jint)n, (jlong)(intptr_t)java_ns);
            if (rc != 0 || (*env)->ExceptionCheck(env))
            {
                (*env)->ExceptionDescribe(env);
                fprintf(stderr, "decide_bench: BridgeTimings.time failed\n");
                return 1;
            }
        }
        report(kind == 1 ? "predict" : kind == 2 ? "quota" : "rank", c_ns, java_ns, n);
    }
    printf("(%ld calls each; predict: 8-feature GBDT, quota: 4 options, rank: top %d of %d candidates, Q=%d; "
        "sink %g)\n", n, TOP, CANDIDATES, QUALITY, sink);
    decide_close(engine);
    return 0;
}
