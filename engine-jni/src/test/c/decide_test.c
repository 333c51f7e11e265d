/*
 * C test program for libdecide.so, driven by io.decide.jni.NativeAbiTest (and NativeSanitizerTest under ASan).
 *
 *   decide_test equal DIR COUNT SEED          print COUNT predict, quota and rank decisions (inputs and outputs as
 *                                             hex bits) for the Java test to recompute with the Java API
 *   decide_test errors DIR BAD_DIR FILE       every error path: codes, messages, outputs untouched, no crash
 *   decide_test bad-classpath DIR             DECIDE_CLASSPATH without the bridge classes: DECIDE_E_JVM
 *   decide_test reload DIR NEW BAD            copy NEW (ctr v4) into DIR and reload: v4 serves; then BAD (a
 *                                             corrupt ctr v5): DECIDE_E_ARTIFACT_REJECTED and v4 keeps serving
 *   decide_test kinds DIR STATE_DIR COHORT_TABLE COUNT SEED
 *                                             scalar and ad-slot error paths (wrong sizes, no state dir, bad time:
 *                                             codes, outputs untouched), then COUNT decide_scalars and
 *                                             decide_ad_slot decisions printed (S and A lines, hex bits) for the
 *                                             Java test to recompute with the Java API (artifacts "opus", "feed")
 *   decide_test stress DIR THREADS SECONDS MAX_RSS_GROWTH_KB [MIN_CALLS]
 *                                             THREADS threads deciding concurrently plus short-lived threads
 *                                             (attach/detach churn) for SECONDS, and on until MIN_CALLS decisions
 *                                             were made (at most 20 minutes); every answer checked; VmRSS sampled,
 *                                             growth measured from a third of SECONDS to the end
 *
 * The environment gives the JVM: DECIDE_CLASSPATH, JAVA_HOME, DECIDE_JVM_OPTIONS (passed as options.jvm_options).
 * Artifacts expected in DIR: "ctr" (GBDT, 8 features, 1 output) and "quota" (caller-valued QUOTA_DUAL, 4 options).
 */
#include "decide.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FEATURES 8
#define OPTIONS 4
#define MAX_CANDIDATES 64
#define MAX_QUALITY 3

static uint64_t rng_state;

static uint64_t next_random(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double uniform(void)
{
    return (double)(next_random() >> 11) * 0x1.0p-53;
}

static uint64_t bits(const double value)
{
    uint64_t b;
    memcpy(&b, &value, sizeof(b));
    return b;
}

static void open_options(decide_options_t* options)
{
    decide_options_init(options);
    options->jvm_options = getenv("DECIDE_JVM_OPTIONS");
}

static decide_engine_t* open_or_die(const char* dir, const int max_threads)
{
    decide_options_t options;
    open_options(&options);
    options.max_threads = max_threads;
    decide_engine_t* engine = NULL;
    const int rc = decide_open(dir, &options, &engine);
    if (rc != DECIDE_OK)
    {
        fprintf(stderr, "decide_open(%s): %s: %s\n", dir, decide_strerror(rc), decide_errmsg());
        exit(2);
    }
    return engine;
}

static int32_t handle_or_die(decide_engine_t* engine, const char* name)
{
    int32_t handle = -1;
    const int rc = decide_handle(engine, name, &handle);
    if (rc != DECIDE_OK)
    {
        fprintf(stderr, "decide_handle(%s): %s\n", name, decide_errmsg());
        exit(2);
    }
    return handle;
}

/* Inputs ----------------------------------------------------------------------------------------------------- */

static void random_row(double* row)
{
    for (int i = 0; i < FEATURES; i++)
    {
        const double u = uniform();
        row[i] = u < 0.1 ? NAN : uniform() * 4.0 - 2.0;
    }
}

static void random_values(double* values)
{
    for (int i = 0; i < OPTIONS; i++)
    {
        values[i] = uniform() * 3.0;
    }
}

typedef struct
{
    double words[1 + MAX_CANDIDATES * (1 + MAX_QUALITY)]; /* words[0] holds the two int32 counts */
    int32_t n;
    int32_t q;
    int32_t k;
    double scalars[MAX_QUALITY];
} rank_request_t;

static void random_batch(rank_request_t* request)
{
    request->n = 1 + (int32_t)(next_random() % MAX_CANDIDATES);
    request->q = (int32_t)(next_random() % (MAX_QUALITY + 1));
    request->k = (int32_t)(next_random() % (uint64_t)(request->n + 3));
    int32_t header[2] = { request->n, request->q };
    memcpy(&request->words[0], header, sizeof(header));
    for (int c = 0; c < request->n; c++)
    {
        double* record = &request->words[1 + c * (1 + request->q)];
        record[0] = uniform() * 10.0;
        for (int j = 0; j < request->q; j++)
        {
            record[1 + j] = uniform();
        }
    }
    for (int j = 0; j < request->q; j++)
    {
        request->scalars[j] = uniform() * 5.0;
    }
}

static int32_t batch_length(const rank_request_t* request)
{
    return 8 + request->n * 8 * (1 + request->q);
}

/* equal ------------------------------------------------------------------------------------------------------ */

static void print_result(const int rc, const decide_result_t* result)
{
    printf(" %d %lld %d %d", rc, rc == DECIDE_OK ? (long long)result->version : 0LL,
        rc == DECIDE_OK ? result->fallback : 0, rc == DECIDE_OK ? result->count : 0);
}

static int print_predict(decide_engine_t* engine, const char* name, const int32_t handle, const double* row)
{
    double out[4] = { 0 };
    decide_result_t result;
    const int rc = decide_predict(engine, handle, row, FEATURES, out, 4, &result);
    printf("P %s", name);
    print_result(rc, &result);
    for (int i = 0; i < FEATURES; i++)
    {
        printf(" %016llx", (unsigned long long)bits(row[i]));
    }
    printf(" :");
    for (int i = 0; rc == DECIDE_OK && i < result.count; i++)
    {
        printf(" %016llx", (unsigned long long)bits(out[i]));
    }
    printf("\n");
    return rc;
}

static int print_quota(decide_engine_t* engine, const char* name, const int32_t handle, const double* values)
{
    int32_t k = -1;
    decide_result_t result;
    const int rc = decide_quota(engine, handle, values, OPTIONS, &k, &result);
    printf("Q %s", name);
    print_result(rc, &result);
    for (int i = 0; i < OPTIONS; i++)
    {
        printf(" %016llx", (unsigned long long)bits(values[i]));
    }
    printf(" : %d\n", rc == DECIDE_OK ? k : -1);
    return rc;
}

static int print_rank(decide_engine_t* engine, const rank_request_t* request)
{
    int32_t out[MAX_CANDIDATES + 3];
    decide_result_t result;
    const int rc = decide_rank(engine, request->words, batch_length(request), request->scalars, request->q,
        request->k, out, MAX_CANDIDATES + 3, &result);
    printf("R x");
    print_result(rc, &result);
    printf(" %d %d %d", request->n, request->q, request->k);
    for (int j = 0; j < request->q; j++)
    {
        printf(" %016llx", (unsigned long long)bits(request->scalars[j]));
    }
    for (int w = 1; w < 1 + request->n * (1 + request->q); w++)
    {
        printf(" %016llx", (unsigned long long)bits(request->words[w]));
    }
    printf(" :");
    for (int i = 0; rc == DECIDE_OK && i < result.count; i++)
    {
        printf(" %d", out[i]);
    }
    printf("\n");
    return rc;
}

static int run_equal(const char* dir, const int count, const uint64_t seed)
{
    decide_engine_t* engine = open_or_die(dir, 0);
    const int32_t ctr = handle_or_die(engine, "ctr");
    const int32_t quota = handle_or_die(engine, "quota");
    rng_state = seed;
    for (int i = 0; i < count; i++)
    {
        double row[FEATURES];
        random_row(row);
        print_predict(engine, "ctr", ctr, row);
        double values[OPTIONS];
        random_values(values);
        print_quota(engine, "quota", quota, values);
        rank_request_t request;
        random_batch(&request);
        print_rank(engine, &request);
    }
    /* Kind mismatches answered by the engine's rule, compared with Java too. */
    double row[FEATURES] = { 0 };
    print_predict(engine, "quota", quota, row);
    double values[OPTIONS] = { 1, 2, 3, 4 };
    print_quota(engine, "ctr", ctr, values);
    decide_close(engine);
    return 0;
}

/* errors ----------------------------------------------------------------------------------------------------- */

static int checks;
static int failures;

static void check(const int ok, const char* what, const int line)
{
    checks++;
    if (!ok)
    {
        failures++;
        printf("FAIL line %d: %s (errcode %s, errmsg \"%s\")\n", line, what, decide_strerror(decide_errcode()),
            decide_errmsg());
    }
}

#define CHECK(cond) check((cond), #cond, __LINE__)
/* A call fails with the expected code, sets errcode to it, and its message contains a fragment. */
#define EXPECT_ERROR(call, code, fragment) \
    do \
    { \
        const int rc_ = (call); \
        checks++; \
        if (rc_ != (code) || decide_errcode() != (code) || strstr(decide_errmsg(), (fragment)) == NULL) \
        { \
            failures++; \
            printf("FAIL line %d: %s returned %s, expected %s with a message containing \"%s\"; errmsg \"%s\"\n", \
                __LINE__, #call, decide_strerror(rc_), decide_strerror(code), (fragment), decide_errmsg()); \
        } \
        else \
        { \
            printf("ok   %-28s %s\n", decide_strerror(code), decide_errmsg()); \
        } \
    } while (0)

static void* fail_in_other_thread(void* engine)
{
    const double row[FEATURES] = { 0 };
    double out[1];
    const int rc = decide_predict((decide_engine_t*)engine, 12345, row, FEATURES, out, 1, NULL);
    return (void*)(intptr_t)(rc == DECIDE_E_UNKNOWN_ARTIFACT && strstr(decide_errmsg(), "12345") != NULL);
}

static int run_errors(const char* dir, const char* bad_dir, const char* regular_file)
{
    decide_options_t options;
    open_options(&options);
    decide_engine_t* engine = NULL;

    /* Before any JVM exists: a java_home without libjvm fails cleanly and leaves the process able to start one. */
    options.java_home = "/nonexistent-java-home";
    EXPECT_ERROR(decide_open(dir, &options, &engine), DECIDE_E_JVM, "libjvm.so");
    CHECK(engine == NULL);
    options.java_home = NULL;

    EXPECT_ERROR(decide_open(NULL, &options, &engine), DECIDE_E_NULL_ARGUMENT, "policy_dir");
    EXPECT_ERROR(decide_open(dir, &options, NULL), DECIDE_E_NULL_ARGUMENT, "engine");
    options.max_threads = -1;
    EXPECT_ERROR(decide_open(dir, &options, &engine), DECIDE_E_BAD_ARGUMENT, "max_threads");
    options.max_threads = 0;
    EXPECT_ERROR(decide_open("/nonexistent/policies", &options, &engine), DECIDE_E_OPEN, "does not exist");
    EXPECT_ERROR(decide_open(regular_file, &options, &engine), DECIDE_E_OPEN, "is not a directory");
    options.fail_on_rejected = 1;
    EXPECT_ERROR(decide_open(bad_dir, &options, &engine), DECIDE_E_ARTIFACT_REJECTED, "broken-v1.dpol");
    CHECK(engine == NULL);
    options.fail_on_rejected = 0;

    /* A bad artifact beside good ones: the good ones serve; the bad name is unknown and says why. */
    decide_engine_t* partial = NULL;
    CHECK(decide_open(bad_dir, &options, &partial) == DECIDE_OK);
    int32_t handle = -1;
    CHECK(decide_handle(partial, "ctr", &handle) == DECIDE_OK);
    EXPECT_ERROR(decide_handle(partial, "broken", &handle), DECIDE_E_UNKNOWN_ARTIFACT, "refused at load");
    decide_reload_stats_t stats = { -1, -1 };
    CHECK(decide_reload(partial, &stats) == DECIDE_OK && stats.loaded == 0 && stats.rejected == 0);
    CHECK(decide_close(partial) == DECIDE_OK);

    CHECK(decide_open(dir, &options, &engine) == DECIDE_OK && engine != NULL);
    const int32_t ctr = handle_or_die(engine, "ctr");
    const int32_t quota = handle_or_die(engine, "quota");

    /* Names, handles, versions. */
    EXPECT_ERROR(decide_handle(engine, "nope", &handle), DECIDE_E_UNKNOWN_ARTIFACT, "'nope'");
    EXPECT_ERROR(decide_handle(engine, NULL, &handle), DECIDE_E_NULL_ARGUMENT, "name");
    EXPECT_ERROR(decide_handle(engine, "ctr", NULL), DECIDE_E_NULL_ARGUMENT, "handle");
    int32_t count = 0;
    CHECK(decide_handle_count(engine, &count) == DECIDE_OK && count == 2);
    char name[16];
    CHECK(decide_name(engine, ctr, name, sizeof(name)) == DECIDE_OK && strcmp(name, "ctr") == 0);
    EXPECT_ERROR(decide_name(engine, ctr, name, 3), DECIDE_E_BAD_SIZE, "needs 4 bytes");
    EXPECT_ERROR(decide_name(engine, 7, name, sizeof(name)), DECIDE_E_UNKNOWN_ARTIFACT, "handle 7");
    int64_t version = -1;
    CHECK(decide_version(engine, ctr, &version) == DECIDE_OK && version == 3);
    EXPECT_ERROR(decide_version(engine, -1, &version), DECIDE_E_UNKNOWN_ARTIFACT, "handle -1");
    EXPECT_ERROR(decide_version(engine, ctr, NULL), DECIDE_E_NULL_ARGUMENT, "version");
    int32_t width = -1;
    CHECK(decide_input_width(engine, ctr, DECIDE_KIND_PREDICT, &width) == DECIDE_OK && width == FEATURES);
    CHECK(decide_input_width(engine, quota, DECIDE_KIND_QUOTA, &width) == DECIDE_OK && width == OPTIONS);
    EXPECT_ERROR(decide_input_width(engine, ctr, DECIDE_KIND_QUOTA, &width), DECIDE_E_WRONG_KIND, "QUOTA");
    EXPECT_ERROR(decide_input_width(engine, ctr, 99, &width), DECIDE_E_BAD_ARGUMENT, "99");

    /* predict: outputs stay untouched on every failure. */
    double row[FEATURES] = { 0.5, -1, 0, 1, 2, NAN, 0.25, 3 };
    double out[2] = { -7.0, -7.0 };
    decide_result_t result = { -9, -9, -9 };
    EXPECT_ERROR(decide_predict(engine, ctr, row, 7, out, 2, &result), DECIDE_E_BAD_SIZE, "expects 8");
    EXPECT_ERROR(decide_predict(engine, ctr, row, 9, out, 2, &result), DECIDE_E_BAD_SIZE, "got 9");
    EXPECT_ERROR(decide_predict(engine, ctr, row, FEATURES, out, 0, &result), DECIDE_E_BAD_SIZE, "capacity 0");
    EXPECT_ERROR(decide_predict(engine, ctr, row, -1, out, 2, &result), DECIDE_E_BAD_SIZE, "feature_count -1");
    EXPECT_ERROR(decide_predict(engine, ctr, NULL, FEATURES, out, 2, &result), DECIDE_E_NULL_ARGUMENT, "row");
    EXPECT_ERROR(decide_predict(engine, ctr, row, FEATURES, NULL, 2, &result), DECIDE_E_NULL_ARGUMENT, "out");
    EXPECT_ERROR(decide_predict(engine, 99, row, FEATURES, out, 2, &result), DECIDE_E_UNKNOWN_ARTIFACT,
        "handle 99");
    EXPECT_ERROR(decide_predict(engine, quota, row, FEATURES, out, 2, &result), DECIDE_E_WRONG_KIND,
        "'quota'");
    EXPECT_ERROR(decide_predict(NULL, ctr, row, FEATURES, out, 2, &result), DECIDE_E_NULL_ARGUMENT, "engine");
    CHECK(out[0] == -7.0 && out[1] == -7.0 && result.version == -9 && result.count == -9);
    CHECK(decide_predict(engine, ctr, row, FEATURES, out, 2, &result) == DECIDE_OK);
    CHECK(result.version == 3 && result.count == 1 && result.fallback == 0 && out[0] != -7.0 && out[1] == -7.0);
    CHECK(decide_predict(engine, ctr, row, FEATURES, out, 1, NULL) == DECIDE_OK);

    /* quota */
    double values[OPTIONS] = { 1.0, 1.5, 2.5, 2.0 };
    int32_t k = -5;
    EXPECT_ERROR(decide_quota(engine, quota, values, 3, &k, &result), DECIDE_E_BAD_SIZE, "expects 4");
    EXPECT_ERROR(decide_quota(engine, quota, values, -2, &k, &result), DECIDE_E_BAD_SIZE, "count -2");
    EXPECT_ERROR(decide_quota(engine, quota, NULL, OPTIONS, &k, &result), DECIDE_E_NULL_ARGUMENT, "values");
    EXPECT_ERROR(decide_quota(engine, quota, values, OPTIONS, NULL, &result), DECIDE_E_NULL_ARGUMENT, "k");
    EXPECT_ERROR(decide_quota(engine, ctr, values, OPTIONS, &k, &result), DECIDE_E_WRONG_KIND, "'ctr'");
    CHECK(k == -5);
    CHECK(decide_quota(engine, quota, values, OPTIONS, &k, &result) == DECIDE_OK && k >= 0 && k < OPTIONS &&
        result.version == 2 && result.count == 1);

    /* rank */
    rank_request_t request;
    rng_state = 7;
    random_batch(&request);
    request.k = 2;
    if (request.n < 3)
    {
        request.n = 3;
        int32_t header[2] = { request.n, request.q };
        memcpy(&request.words[0], header, sizeof(header));
    }
    int32_t ranked[MAX_CANDIDATES] = { -3, -3 };
    const int32_t length = batch_length(&request);
    EXPECT_ERROR(decide_rank(engine, request.words, 4, request.scalars, request.q, 2, ranked, 2, &result),
        DECIDE_E_BAD_REQUEST, "batch_length 4");
    EXPECT_ERROR(decide_rank(engine, request.words, length - 8, request.scalars, request.q, 2, ranked, 2, &result),
        DECIDE_E_BAD_REQUEST, "does not fit");
    if (request.q > 0)
    {
        EXPECT_ERROR(decide_rank(engine, request.words, length, request.scalars, request.q - 1, 2, ranked, 2,
            &result), DECIDE_E_BAD_SIZE, "scalar_count");
    }
    EXPECT_ERROR(decide_rank(engine, request.words, length, request.scalars, request.q, 2, ranked, 1, &result),
        DECIDE_E_BAD_SIZE, "out_capacity 1");
    EXPECT_ERROR(decide_rank(engine, request.words, length, request.scalars, request.q, -1, ranked, 2, &result),
        DECIDE_E_BAD_SIZE, "k -1");
    EXPECT_ERROR(decide_rank(engine, NULL, length, request.scalars, request.q, 2, ranked, 2, &result),
        DECIDE_E_NULL_ARGUMENT, "batch");
    EXPECT_ERROR(decide_rank(engine, request.words, length, request.scalars, request.q, 2, NULL, 2, &result),
        DECIDE_E_NULL_ARGUMENT, "out");
    CHECK(ranked[0] == -3 && ranked[1] == -3);
    CHECK(decide_rank(engine, request.words, length, request.scalars, request.q, 2, ranked, 2, &result) ==
        DECIDE_OK && result.count == 2 && result.version == 0 && ranked[0] != ranked[1]);

    /* A garbage engine pointer with the wrong magic is refused, not followed. */
    uint64_t fake[4] = { 0x1234, 0, 0, 0 };
    EXPECT_ERROR(decide_predict((decide_engine_t*)fake, ctr, row, FEATURES, out, 2, &result),
        DECIDE_E_BAD_ARGUMENT, "not an engine");

    /* Messages are per thread. */
    decide_handle(engine, "mine", &handle);
    pthread_t thread;
    void* other_ok = NULL;
    pthread_create(&thread, NULL, fail_in_other_thread, engine);
    pthread_join(thread, &other_ok);
    CHECK(other_ok == (void*)1);
    CHECK(decide_errcode() == DECIDE_E_UNKNOWN_ARTIFACT && strstr(decide_errmsg(), "'mine'") != NULL);

    /* Names of codes. */
    CHECK(strcmp(decide_strerror(DECIDE_E_BAD_SIZE), "DECIDE_E_BAD_SIZE") == 0);
    CHECK(strcmp(decide_strerror(DECIDE_E_JAVA_EXCEPTION), "DECIDE_E_JAVA_EXCEPTION") == 0);
    CHECK(strcmp(decide_strerror(-55), "DECIDE_E_UNKNOWN_CODE") == 0);

    /* After close. */
    CHECK(decide_close(engine) == DECIDE_OK);
    EXPECT_ERROR(decide_predict(engine, ctr, row, FEATURES, out, 2, &result), DECIDE_E_CLOSED, "closed");
    EXPECT_ERROR(decide_quota(engine, quota, values, OPTIONS, &k, &result), DECIDE_E_CLOSED, "closed");
    EXPECT_ERROR(decide_rank(engine, request.words, length, request.scalars, request.q, 2, ranked, 2, &result),
        DECIDE_E_CLOSED, "closed");
    EXPECT_ERROR(decide_handle(engine, "ctr", &handle), DECIDE_E_CLOSED, "closed");
    EXPECT_ERROR(decide_reload(engine, NULL), DECIDE_E_CLOSED, "closed");
    EXPECT_ERROR(decide_version(engine, ctr, &version), DECIDE_E_CLOSED, "closed");
    EXPECT_ERROR(decide_close(engine), DECIDE_E_CLOSED, "closed");

    /* A second engine in the same process still works. */
    decide_engine_t* again = open_or_die(dir, 0);
    CHECK(decide_predict(again, handle_or_die(again, "ctr"), row, FEATURES, out, 2, &result) == DECIDE_OK);
    CHECK(decide_close(again) == DECIDE_OK);

    printf("errors: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}

/* kinds ------------------------------------------------------------------------------------------------------ */

#define SCALAR_FEATURES 8
#define SCALAR_BIDS 3
#define AD_FEATURES 6
#define MAX_PATTERNS 64

static int print_scalars(decide_engine_t* engine, const int32_t handle, const int64_t user, const double* row,
    const int32_t feature_count)
{
    double out[SCALAR_BIDS + 2] = { 0 };
    decide_result_t result;
    const int rc = decide_scalars(engine, handle, user, row, feature_count, out, SCALAR_BIDS + 2, &result);
    printf("S opus");
    print_result(rc, &result);
    printf(" %lld %d", (long long)user, (int)feature_count);
    for (int i = 0; i < feature_count; i++)
    {
        printf(" %016llx", (unsigned long long)bits(row[i]));
    }
    printf(" :");
    for (int i = 0; rc == DECIDE_OK && i < result.count; i++)
    {
        printf(" %016llx", (unsigned long long)bits(out[i]));
    }
    printf("\n");
    return rc;
}

static int print_ad_slot(decide_engine_t* engine, const int32_t handle, const int64_t request, const int64_t user,
    const int64_t now_ms, const double* features)
{
    double probabilities[MAX_PATTERNS] = { 0 };
    decide_ad_slot_t choice = { -1, -1, -1.0 };
    decide_result_t result;
    const int rc = decide_ad_slot(engine, handle, request, user, now_ms, features, AD_FEATURES, &choice,
        probabilities, MAX_PATTERNS, &result);
    printf("A feed");
    print_result(rc, &result);
    printf(" %lld %lld %lld", (long long)request, (long long)user, (long long)now_ms);
    for (int i = 0; i < AD_FEATURES; i++)
    {
        printf(" %016llx", (unsigned long long)bits(features[i]));
    }
    printf(" :");
    if (rc == DECIDE_OK)
    {
        printf(" %d %d %016llx", (int)choice.pattern, (int)choice.mask, (unsigned long long)bits(choice.propensity));
        for (int i = 0; i < result.count; i++)
        {
            printf(" %016llx", (unsigned long long)bits(probabilities[i]));
        }
    }
    printf("\n");
    return rc;
}

static int run_kinds(const char* dir, const char* state_dir, const char* cohort_table, const int count,
    const uint64_t seed)
{
    decide_options_t options;
    open_options(&options);
    decide_engine_t* stateless = NULL;
    CHECK(decide_open(dir, &options, &stateless) == DECIDE_OK);
    const int32_t feed0 = handle_or_die(stateless, "feed");
    double features[AD_FEATURES] = { 0 };
    double probabilities[MAX_PATTERNS];
    decide_ad_slot_t choice = { -1, -1, -1.0 };
    decide_result_t result = { -9, -9, -9 };
    EXPECT_ERROR(decide_ad_slot(stateless, feed0, 1, 1, 1700000000000LL, features, AD_FEATURES, &choice,
        probabilities, MAX_PATTERNS, &result), DECIDE_E_UNSUPPORTED_KIND, "state_dir");
    CHECK(decide_close(stateless) == DECIDE_OK);

    options.state_dir = state_dir;
    options.cohort_table = cohort_table;
    decide_engine_t* engine = NULL;
    CHECK(decide_open(dir, &options, &engine) == DECIDE_OK);
    const int32_t opus = handle_or_die(engine, "opus");
    const int32_t feed = handle_or_die(engine, "feed");
    const int32_t ctr = handle_or_die(engine, "ctr");
    int32_t width = -1;
    CHECK(decide_input_width(engine, opus, DECIDE_KIND_SCALAR, &width) == DECIDE_OK && width == SCALAR_FEATURES);
    CHECK(decide_input_width(engine, feed, DECIDE_KIND_AD_SLOT, &width) == DECIDE_OK && width == AD_FEATURES);
    EXPECT_ERROR(decide_input_width(engine, ctr, DECIDE_KIND_AD_SLOT, &width), DECIDE_E_WRONG_KIND, "AD_SLOT");

    /* Error paths: outputs untouched, and (checked by the Java side, which replays only the printed decisions)
     * no session state changed. */
    double row[SCALAR_FEATURES] = { 0 };
    double out[SCALAR_BIDS] = { -7.0, -7.0, -7.0 };
    EXPECT_ERROR(decide_scalars(engine, opus, 1, row, 3, out, SCALAR_BIDS, &result), DECIDE_E_BAD_SIZE,
        "expects 8");
    EXPECT_ERROR(decide_scalars(engine, opus, 1, row, SCALAR_FEATURES, out, 2, &result), DECIDE_E_BAD_SIZE,
        "output capacity 2");
    EXPECT_ERROR(decide_scalars(engine, opus, 1, row, -1, out, SCALAR_BIDS, &result), DECIDE_E_BAD_SIZE,
        "feature_count -1");
    EXPECT_ERROR(decide_scalars(engine, opus, 1, row, SCALAR_FEATURES, NULL, SCALAR_BIDS, &result),
        DECIDE_E_NULL_ARGUMENT, "out is NULL");
    EXPECT_ERROR(decide_scalars(engine, ctr, 1, row, 0, out, SCALAR_BIDS, &result), DECIDE_E_WRONG_KIND,
        "cannot answer SCALAR");
    EXPECT_ERROR(decide_scalars(engine, 999, 1, row, 0, out, SCALAR_BIDS, &result), DECIDE_E_UNKNOWN_ARTIFACT,
        "999");
    CHECK(out[0] == -7.0 && out[1] == -7.0 && out[2] == -7.0 && result.version == -9 && result.count == -9);
    EXPECT_ERROR(decide_ad_slot(engine, feed, 1, 1, 1700000000000LL, features, 5, &choice, probabilities,
        MAX_PATTERNS, &result), DECIDE_E_BAD_SIZE, "expects 6");
    EXPECT_ERROR(decide_ad_slot(engine, feed, 1, 1, 1700000000000LL, features, AD_FEATURES, &choice, probabilities,
        2, &result), DECIDE_E_BAD_SIZE, "output capacity 2");
    EXPECT_ERROR(decide_ad_slot(engine, feed, 1, 1, 0, features, AD_FEATURES, &choice, probabilities,
        MAX_PATTERNS, &result), DECIDE_E_BAD_REQUEST, "now_ms 0");
    EXPECT_ERROR(decide_ad_slot(engine, feed, 1, 1, 1700000000000LL, features, AD_FEATURES, NULL, probabilities,
        MAX_PATTERNS, &result), DECIDE_E_NULL_ARGUMENT, "choice is NULL");
    EXPECT_ERROR(decide_ad_slot(engine, ctr, 1, 1, 1700000000000LL, features, AD_FEATURES, &choice, probabilities,
        MAX_PATTERNS, &result), DECIDE_E_WRONG_KIND, "cannot answer AD_SLOT");
    CHECK(choice.pattern == -1 && choice.mask == -1 && choice.propensity == -1.0 && result.count == -9);

    rng_state = seed;
    for (int i = 0; i < count; i++)
    {
        const int64_t user = (int64_t)(next_random() % 60);
        for (int f = 0; f < SCALAR_FEATURES; f++)
        {
            row[f] = uniform() < 0.1 ? NAN : uniform() * 4.0 - 2.0;
        }
        CHECK(print_scalars(engine, opus, user, row, (next_random() % 3) == 0 ? 0 : SCALAR_FEATURES) == DECIDE_OK);
        for (int f = 0; f < AD_FEATURES; f++)
        {
            features[f] = uniform() * 3.0;
        }
        CHECK(print_ad_slot(engine, feed, 1 + i, (int64_t)(next_random() % 25), 1700000000000LL + 1000LL * i,
            features) == DECIDE_OK);
    }
    CHECK(decide_close(engine) == DECIDE_OK);
    printf("kinds: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}

static int run_bad_classpath(const char* dir)
{
    decide_options_t options;
    open_options(&options);
    decide_engine_t* engine = NULL;
    EXPECT_ERROR(decide_open(dir, &options, &engine), DECIDE_E_JVM, "io.decide.jni.NativeBridge");
    EXPECT_ERROR(decide_open(dir, &options, &engine), DECIDE_E_JVM, "io.decide.jni.NativeBridge");
    printf("bad-classpath: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}

/* reload ----------------------------------------------------------------------------------------------------- */

static int copy_into(const char* file, const char* dir)
{
    const char* base = strrchr(file, '/');
    char target[4096];
    snprintf(target, sizeof(target), "%s/%s", dir, base == NULL ? file : base + 1);
    FILE* in = fopen(file, "rb");
    FILE* out = fopen(target, "wb");
    int ok = in != NULL && out != NULL;
    char buffer[8192];
    size_t n;
    while (ok && (n = fread(buffer, 1, sizeof(buffer), in)) > 0)
    {
        ok = fwrite(buffer, 1, n, out) == n;
    }
    if (in != NULL)
    {
        fclose(in);
    }
    if (out != NULL)
    {
        ok = fclose(out) == 0 && ok;
    }
    return ok;
}

static int run_reload(const char* dir, const char* new_file, const char* bad_file)
{
    decide_engine_t* engine = open_or_die(dir, 0);
    const int32_t ctr = handle_or_die(engine, "ctr");
    const double row[FEATURES] = { 0.5, -1, 0, 1, 2, NAN, 0.25, 3 };
    double before = 0;
    double after = 0;
    int64_t version = 0;
    decide_result_t result;
    CHECK(decide_version(engine, ctr, &version) == DECIDE_OK && version == 3);
    CHECK(decide_predict(engine, ctr, row, FEATURES, &before, 1, &result) == DECIDE_OK && result.version == 3);

    decide_reload_stats_t stats = { -1, -1 };
    CHECK(decide_reload(engine, &stats) == DECIDE_OK && stats.loaded == 0 && stats.rejected == 0);
    CHECK(copy_into(new_file, dir));
    CHECK(decide_reload(engine, &stats) == DECIDE_OK && stats.loaded == 1 && stats.rejected == 0);
    CHECK(decide_version(engine, ctr, &version) == DECIDE_OK && version == 4);
    CHECK(decide_predict(engine, ctr, row, FEATURES, &after, 1, &result) == DECIDE_OK && result.version == 4);
    printf("reload: ctr v3 %016llx -> v4 %016llx\n", (unsigned long long)bits(before), (unsigned long long)bits(after));

    CHECK(copy_into(bad_file, dir));
    EXPECT_ERROR(decide_reload(engine, &stats), DECIDE_E_ARTIFACT_REJECTED, "ctr-v5.dpol");
    CHECK(stats.loaded == 0 && stats.rejected == 1);
    CHECK(decide_version(engine, ctr, &version) == DECIDE_OK && version == 4);
    CHECK(decide_predict(engine, ctr, row, FEATURES, &after, 1, &result) == DECIDE_OK && result.version == 4);
    CHECK(decide_close(engine) == DECIDE_OK);
    printf("reload: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}

/* stress ----------------------------------------------------------------------------------------------------- */

#define STRESS_ROWS 256
#define STRESS_BATCHES 32

static decide_engine_t* s_engine;
static int32_t s_ctr;
static int32_t s_quota;
static double s_rows[STRESS_ROWS][FEATURES];
static double s_expected_p[STRESS_ROWS];
static double s_values[STRESS_ROWS][OPTIONS];
static int32_t s_expected_k[STRESS_ROWS];
static rank_request_t s_batches[STRESS_BATCHES];
static int32_t s_expected_ranked[STRESS_BATCHES][MAX_CANDIDATES];
static int32_t s_expected_count[STRESS_BATCHES];
static atomic_int s_stop;
static atomic_long s_calls;
static atomic_long s_mismatches;
static atomic_long s_errors;
static atomic_long s_churned;

static void note_error(const int rc)
{
    if (atomic_fetch_add(&s_errors, 1) < 5)
    {
        fprintf(stderr, "stress: %s: %s\n", decide_strerror(rc), decide_errmsg());
    }
}

/* One round over every prepared request; returns the decisions made. */
static long decide_round(const int offset)
{
    long calls = 0;
    for (int j = 0; j < STRESS_ROWS; j++)
    {
        const int i = (j + offset) % STRESS_ROWS;
        double p = 0;
        int rc = decide_predict(s_engine, s_ctr, s_rows[i], FEATURES, &p, 1, NULL);
        if (rc != DECIDE_OK)
        {
            note_error(rc);
        }
        else if (bits(p) != bits(s_expected_p[i]))
        {
            atomic_fetch_add(&s_mismatches, 1);
        }
        int32_t k = -1;
        rc = decide_quota(s_engine, s_quota, s_values[i], OPTIONS, &k, NULL);
        if (rc != DECIDE_OK)
        {
            note_error(rc);
        }
        else if (k != s_expected_k[i])
        {
            atomic_fetch_add(&s_mismatches, 1);
        }
        calls += 2;
        if ((j & 7) == 0)
        {
            const rank_request_t* r = &s_batches[(i / 8) % STRESS_BATCHES];
            const int b = (int)(r - s_batches);
            int32_t out[MAX_CANDIDATES + 3];
            decide_result_t result;
            rc = decide_rank(s_engine, r->words, batch_length(r), r->scalars, r->q, r->k, out, MAX_CANDIDATES + 3,
                &result);
            if (rc != DECIDE_OK)
            {
                note_error(rc);
            }
            else if (result.count != s_expected_count[b] ||
                memcmp(out, s_expected_ranked[b], sizeof(int32_t) * (size_t)result.count) != 0)
            {
                atomic_fetch_add(&s_mismatches, 1);
            }
            calls++;
        }
    }
    return calls;
}

static void* stress_thread(void* arg)
{
    const int offset = (int)(intptr_t)arg * 31;
    while (!atomic_load(&s_stop))
    {
        atomic_fetch_add(&s_calls, decide_round(offset));
    }
    return NULL;
}

static void* short_lived_thread(void* arg)
{
    (void)arg;
    double p;
    const int rc = decide_predict(s_engine, s_ctr, s_rows[0], FEATURES, &p, 1, NULL);
    if (rc != DECIDE_OK)
    {
        note_error(rc);
    }
    else if (bits(p) != bits(s_expected_p[0]))
    {
        atomic_fetch_add(&s_mismatches, 1);
    }
    atomic_fetch_add(&s_calls, 1);
    return NULL;
}

static void* churn_thread(void* arg)
{
    (void)arg;
    while (!atomic_load(&s_stop))
    {
        pthread_t t;
        if (pthread_create(&t, NULL, short_lived_thread, NULL) == 0)
        {
            pthread_join(t, NULL);
            atomic_fetch_add(&s_churned, 1);
        }
        usleep(2000);
    }
    return NULL;
}

static long rss_kb(void)
{
    FILE* status = fopen("/proc/self/status", "r");
    if (status == NULL)
    {
        return -1;
    }
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof(line), status) != NULL)
    {
        if (strncmp(line, "VmRSS:", 6) == 0)
        {
            kb = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(status);
    return kb;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int run_stress(const char* dir, const int threads, const double seconds, const long max_growth_kb,
    const long min_calls)
{
    /* Fewer contexts than the threads that come and go: detaching must give them back. */
    s_engine = open_or_die(dir, threads + 4);
    s_ctr = handle_or_die(s_engine, "ctr");
    s_quota = handle_or_die(s_engine, "quota");
    rng_state = 99;
    for (int i = 0; i < STRESS_ROWS; i++)
    {
        random_row(s_rows[i]);
        random_values(s_values[i]);
        if (print_predict(s_engine, "ctr", s_ctr, s_rows[i]) != DECIDE_OK ||
            print_quota(s_engine, "quota", s_quota, s_values[i]) != DECIDE_OK)
        {
            return 2;
        }
        decide_predict(s_engine, s_ctr, s_rows[i], FEATURES, &s_expected_p[i], 1, NULL);
        decide_quota(s_engine, s_quota, s_values[i], OPTIONS, &s_expected_k[i], NULL);
    }
    for (int b = 0; b < STRESS_BATCHES; b++)
    {
        random_batch(&s_batches[b]);
        print_rank(s_engine, &s_batches[b]);
        int32_t out[MAX_CANDIDATES + 3];
        decide_result_t result;
        decide_rank(s_engine, s_batches[b].words, batch_length(&s_batches[b]), s_batches[b].scalars,
            s_batches[b].q, s_batches[b].k, out, MAX_CANDIDATES + 3, &result);
        memcpy(s_expected_ranked[b], out, sizeof(int32_t) * (size_t)result.count);
        s_expected_count[b] = result.count;
    }
    pthread_t workers[64];
    const int n = threads > 64 ? 64 : threads;
    for (int i = 0; i < n; i++)
    {
        pthread_create(&workers[i], NULL, stress_thread, (void*)(intptr_t)i);
    }
    pthread_t churn;
    pthread_create(&churn, NULL, churn_thread, NULL);
    const double start = now_seconds();
    long baseline = -1;
    long last = -1;
    long peak = 0;
    int sample = 0;
    while (now_seconds() - start < seconds || (atomic_load(&s_calls) < min_calls && now_seconds() - start < 1200))
    {
        usleep(250000);
        const double elapsed = now_seconds() - start;
        last = rss_kb();
        peak = last > peak ? last : peak;
        if (baseline < 0 && elapsed >= seconds / 3.0)
        {
            baseline = last; /* after warm-up: JIT compilation and thread stacks are in */
        }
        if ((sample++ & 3) == 3)
        {
            fprintf(stderr, "stress: t=%.1fs calls=%ld VmRSS=%ld kB\n", elapsed, (long)atomic_load(&s_calls), last);
        }
    }
    atomic_store(&s_stop, 1);
    for (int i = 0; i < n; i++)
    {
        pthread_join(workers[i], NULL);
    }
    pthread_join(churn, NULL);
    last = rss_kb();
    const long growth = last - baseline;
    printf("stress: threads=%d seconds=%.1f calls=%ld short-lived-threads=%ld mismatches=%ld errors=%ld "
        "rss_baseline_kb=%ld rss_end_kb=%ld rss_peak_kb=%ld rss_growth_kb=%ld\n", n, now_seconds() - start,
        (long)atomic_load(&s_calls), (long)atomic_load(&s_churned), (long)atomic_load(&s_mismatches),
        (long)atomic_load(&s_errors), baseline, last, peak, growth);
    const int ok = atomic_load(&s_mismatches) == 0 && atomic_load(&s_errors) == 0 && growth <= max_growth_kb &&
        atomic_load(&s_churned) > 0 && atomic_load(&s_calls) >= min_calls;
    decide_close(s_engine);
    return ok ? 0 : 1;
}

int main(const int argc, char** argv)
{
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    int rc = 64;
    if (argc == 5 && strcmp(argv[1], "equal") == 0)
    {
        rc = run_equal(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 10));
    }
    else if (argc == 5 && strcmp(argv[1], "errors") == 0)
    {
        rc = run_errors(argv[2], argv[3], argv[4]);
    }
    else if (argc == 5 && strcmp(argv[1], "reload") == 0)
    {
        rc = run_reload(argv[2], argv[3], argv[4]);
    }
    else if (argc == 3 && strcmp(argv[1], "bad-classpath") == 0)
    {
        rc = run_bad_classpath(argv[2]);
    }
    else if (argc == 7 && strcmp(argv[1], "kinds") == 0)
    {
        rc = run_kinds(argv[2], argv[3], argv[4], atoi(argv[5]), strtoull(argv[6], NULL, 10));
    }
    else if ((argc == 6 || argc == 7) && strcmp(argv[1], "stress") == 0)
    {
        rc = run_stress(argv[2], atoi(argv[3]), atof(argv[4]), atol(argv[5]), argc == 7 ? atol(argv[6]) : 0);
    }
    else
    {
        fprintf(stderr, "usage: decide_test equal DIR COUNT SEED | errors DIR BAD_DIR FILE | reload DIR NEW BAD | "
            "bad-classpath DIR | kinds DIR STATE_DIR COHORT_TABLE COUNT SEED | stress DIR THREADS SECONDS MAX_RSS_GROWTH_KB [MIN_CALLS]\n");
    }
    fflush(stdout);
    return rc;
}
