/*
 * decide.h: the C ABI of Decide, for C and C++ hosts (auction servers) that embed the engine in-process.
 *
 * Behind this header, libdecide.so starts a JVM (or joins the one already in the process) and calls engine-core's
 * DecisionEngine facade. Request and response memory is passed zero-copy: the library hands the JVM the raw
 * addresses of your buffers and the Java side reads and writes them in place (no JNI array copies).
 *
 * Usage:
 *
 *     decide_options_t options;
 *     decide_options_init(&options);
 *     options.classpath = "/opt/decide/lib/ *";  // (no space) or DECIDE_CLASSPATH
 *     decide_engine_t* engine = NULL;
 *     if (decide_open("/srv/policies", &options, &engine) != DECIDE_OK)
 *     {
 *         fprintf(stderr, "decide_open: %s\n", decide_errmsg());
 *     }
 *     int32_t ctr;
 *     decide_handle(engine, "ctr", &ctr);                 // resolve once, not per request
 *     double row[8] = { ... };                            // NaN = missing feature
 *     double p;
 *     decide_result_t result;
 *     int rc = decide_predict(engine, ctr, row, 8, &p, 1, &result);
 *     ...
 *     decide_close(engine);
 *
 * Conventions:
 *  - Every function returns DECIDE_OK (0) or a negative DECIDE_E_* code. After a failure, decide_errcode() and
 *    decide_errmsg() of the same thread tell what failed and why; a success leaves them unchanged.
 *  - Decisions write outputs only when they return DECIDE_OK. A decision that fails on the request (wrong sizes,
 *    unknown handle) fails that request only; the engine keeps serving.
 *  - Thread-safe: any number of threads may decide on one engine at once. A thread is attached to the JVM on its
 *    first call and detached when it exits (a pthread key destructor), which also gives its per-thread decision
 *    context back to the engine. decide_close() must not run while other threads are deciding on that engine.
 *    Threads that were attached to the JVM by someone else (e.g. Java threads calling in) stay attached; their
 *    contexts are given back when the engine closes.
 *  - Numbers are in the host's native byte order (little-endian on the platforms Decide supports).
 *
 * Decision kinds present: predict (GBDT), quota k* (ACQ), rank top-K (quality scalars), scalars (Opus quality-bid
 * scalars of a user), ad slot (feed ad pattern with probabilities and propensity). Each kind is one function
 * here, one static method of io.decide.jni.NativeBridge and one cached method ID in decide.c; adding a kind adds
 * one of each (see "Adding a decision kind" at the end of this file).
 *
 * Error codes are mirrored by the Java enum io.decide.jni.DecideError; a test in engine-jni parses this header and
 * fails the build if the two differ.
 */
#ifndef DECIDE_H
#define DECIDE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Return codes ---------------------------------------------------------------------------------------------
 * -1 .. -99: the engine's decision statuses (io.decide.engine.service.DecisionStatus), negated.
 * -100 ..  : faults of this C layer (arguments, JVM, lifecycle).
 */

/** Success. */
#define DECIDE_OK                     0
/** No artifact of that name is loaded, or the handle is out of range. */
#define DECIDE_E_UNKNOWN_ARTIFACT    (-1)
/** The artifact cannot answer this decision kind and no earlier version of it could. */
#define DECIDE_E_WRONG_KIND          (-2)
/** An input or output has the wrong size (feature count, option count, scalar count, output capacity). */
#define DECIDE_E_BAD_SIZE            (-3)
/** The decision kind is not served by this engine. */
#define DECIDE_E_UNSUPPORTED_KIND    (-4)
/** The request is malformed (e.g. a candidate batch whose header does not fit its length). */
#define DECIDE_E_BAD_REQUEST         (-5)
/** An unexpected engine error; the request failed, the engine keeps serving. */
#define DECIDE_E_INTERNAL_ERROR      (-6)
/** A required pointer argument is NULL. */
#define DECIDE_E_NULL_ARGUMENT       (-100)
/** An argument is out of range (negative length, not an engine returned by decide_open, bad option value). */
#define DECIDE_E_BAD_ARGUMENT        (-101)
/** The engine has been closed. */
#define DECIDE_E_CLOSED              (-102)
/** The JVM could not be loaded, created or joined, or the bridge classes are not on its class path. */
#define DECIDE_E_JVM                 (-103)
/** The calling thread could not be attached to the JVM. */
#define DECIDE_E_ATTACH              (-104)
/** The policy directory cannot be opened (missing, not a directory, unreadable). */
#define DECIDE_E_OPEN                (-105)
/** One or more artifact files were refused at load (decide_errmsg() names them); the others serve. */
#define DECIDE_E_ARTIFACT_REJECTED   (-106)
/** More threads than options.max_threads hold a decision context on this engine. */
#define DECIDE_E_TOO_MANY_THREADS    (-107)
/** Memory for the engine or a thread could not be allocated. */
#define DECIDE_E_NO_MEMORY           (-108)
/** A Java exception escaped the bridge (a bug); decide_errmsg() holds its text. */
#define DECIDE_E_JAVA_EXCEPTION      (-109)

/* ---- Decision kinds (ids shared with io.decide.engine.service.DecisionKind and the sidecar protocol) -------- */

#define DECIDE_KIND_PREDICT  1
#define DECIDE_KIND_QUOTA    2
#define DECIDE_KIND_RANK     3
#define DECIDE_KIND_SCALAR   4
#define DECIDE_KIND_AD_SLOT  5

/* ---- Types --------------------------------------------------------------------------------------------------- */

/** An open engine over one policy directory. Opaque. */
typedef struct decide_engine_s decide_engine_t;

/** How to start the JVM and open an engine. Initialise with decide_options_init(), then set what you need. */
typedef struct decide_options_s
{
    /** Class path holding the engine-jni classes and their dependencies, ':'-separated; an entry ending in
     *  a slash and a star takes every jar of its directory (as with the java launcher).
     *  NULL: the DECIDE_CLASSPATH environment variable. Used only when this call creates the JVM. */
    const char* classpath;
    /** JDK or JRE home holding lib/server/libjvm.so. NULL: JAVA_HOME, then the java.home libdecide was built
     *  with. Used only when this call creates the JVM. */
    const char* java_home;
    /** Extra JVM options, whitespace-separated (e.g. "-Xmx512m -Xms512m"), added after the project's flags from
     *  jvm.properties (compiled in) and -Xrs. Used only when this call creates the JVM. */
    const char* jvm_options;
    /** Directory for per-user session state (Chronicle Map file session-state.cmap, created when missing, kept
     *  across restarts) that decide_ad_slot reads and updates. NULL: decide_ad_slot returns
     *  DECIDE_E_UNSUPPORTED_KIND. */
    const char* state_dir;
    /** Directory for the decision log, or NULL for none. With one, every decide_ad_slot decision is handed off the
     *  calling thread to memory-mapped segment files (docs/FORMAT.md, "Decision log files") with its propensity,
     *  probabilities and replay row, as the decided sidecar's --log does; a full hand-off ring drops the record
     *  (counted) rather than making the decision wait. Read with `decide log export` / `decide ope --policy`. */
    const char* log_dir;
    /** Most threads deciding on this engine at once (each holds one context); 0: the engine's default (256). */
    int32_t max_threads;
    /** Most candidates in one rank request; 0: the engine's default (4096). */
    int32_t max_candidates;
    /** Non-zero: decide_open fails with DECIDE_E_ARTIFACT_REJECTED when any artifact file is refused.
     *  Zero (default): refused files are reported by decide_reload() and the others serve. */
    int32_t fail_on_rejected;
    /** User->cohort table file (io.decide.engine.cohort.CohortTable, Chronicle Map) that decide_scalars reads
     *  for bids whose cohort is not computed from features. NULL: those bids get their default scalar. */
    const char* cohort_table;
} decide_options_t;

/** How a decision was answered. Written only on DECIDE_OK; pass NULL when not needed. */
typedef struct decide_result_s
{
    /** Version of the artifact that answered; 0 for a static default or a decision that needs no artifact. */
    int64_t version;
    /** Outputs written: model outputs for predict, 1 for quota, selected candidates for rank, Q scalars for
     *  scalars, P probabilities for ad slot. */
    int32_t count;
    /** 1 when a fallback answered (the last good version of the name, or a static default), else 0. */
    int32_t fallback;
} decide_result_t;

/** The pattern an ad-slot decision chose. Written only on DECIDE_OK. */
typedef struct decide_ad_slot_s
{
    /** The chosen pattern index (the action), 0 .. P-1; pattern 0 is the empty (no-ad) pattern. */
    int32_t pattern;
    /** Its ad mask: bit i set = an ad in feed slot i. */
    int32_t mask;
    /** The probability with which it was chosen (1.0 for a shed or static fallback). */
    double propensity;
} decide_ad_slot_t;

/** What a reload changed. */
typedef struct decide_reload_stats_s
{
    /** Artifact versions that started serving. */
    int32_t loaded;
    /** Files that were refused (the previous version of their name keeps serving). */
    int32_t rejected;
} decide_reload_stats_t;

/* ---- Errors -------------------------------------------------------------------------------------------------- */

/** @return the code of the calling thread's last failure (DECIDE_OK when none yet). */
int decide_errcode(void);

/** @return the calling thread's last failure message; "" when none yet. Valid until its next failing call. */
const char* decide_errmsg(void);

/** @return the name of a code, e.g. "DECIDE_E_BAD_SIZE"; "DECIDE_E_UNKNOWN_CODE" for one not defined here. */
const char* decide_strerror(int code);

/* ---- Lifecycle ----------------------------------------------------------------------------------------------- */

/** Set every option to its default (all NULL / 0). */
void decide_options_init(decide_options_t* options);

/**
 * Open an engine on a directory of *.dpol artifacts and load it once. The first call in a process creates the
 * JVM (or joins one already in the process); the JVM then lives until the process exits.
 *
 * @param policy_dir directory of artifacts.
 * @param options    NULL for defaults.
 * @param engine     receives the engine on success.
 * @return DECIDE_OK; DECIDE_E_OPEN, DECIDE_E_JVM, DECIDE_E_ARTIFACT_REJECTED (with fail_on_rejected), ...
 */
int decide_open(const char* policy_dir, const decide_options_t* options, decide_engine_t** engine);

/**
 * Close an engine: stop serving and release its mappings. Later calls with it return DECIDE_E_CLOSED (its small
 * handle stays allocated for that reason). No other thread may be deciding on it at the same time.
 */
int decide_close(decide_engine_t* engine);

/**
 * Rescan the policy directory: new valid versions start serving atomically; refused files leave the old version
 * serving and make this return DECIDE_E_ARTIFACT_REJECTED (decide_errmsg() names the files and reasons).
 *
 * @param stats NULL, or receives the counts (also on DECIDE_E_ARTIFACT_REJECTED).
 */
int decide_reload(decide_engine_t* engine, decide_reload_stats_t* stats);

/* ---- Names, handles, versions --------------------------------------------------------------------------------- */

/** Resolve an artifact name (UTF-8, NUL-terminated) to a handle, once; DECIDE_E_UNKNOWN_ARTIFACT if not loaded. */
int decide_handle(decide_engine_t* engine, const char* name, int32_t* handle);

/** @param count receives how many names have handles; handles are 0 .. count-1. */
int decide_handle_count(decide_engine_t* engine, int32_t* count);

/** Copy the name of a handle into buf as a NUL-terminated string; DECIDE_E_BAD_SIZE when it does not fit. */
int decide_name(decide_engine_t* engine, int32_t handle, char* buf, int32_t capacity);

/** @param version receives the version serving under a handle (0 when the handle has none). */
int decide_version(decide_engine_t* engine, int32_t handle, int64_t* version);

/**
 * Input width a kind expects from a handle: features for DECIDE_KIND_PREDICT, values (or model features) for
 * DECIDE_KIND_QUOTA, the sensitivity models' features for DECIDE_KIND_SCALAR (0 when no bid has a model), the
 * context features C for DECIDE_KIND_AD_SLOT. DECIDE_E_WRONG_KIND when the artifact cannot answer that kind. For sizing buffers.
 */
int decide_input_width(decide_engine_t* engine, int32_t handle, int32_t kind, int32_t* width);

/* ---- Decisions ----------------------------------------------------------------------------------------------- */

/**
 * GBDT prediction for one dense row: the model's transformed outputs (probability, rate, class index, ...).
 *
 * @param row           feature_count doubles, NaN for a missing feature.
 * @param feature_count must equal the model's feature count.
 * @param out           receives the outputs (result->count of them).
 * @param out_capacity  doubles available at out; must be at least the model's output count.
 */
int decide_predict(decide_engine_t* engine, int32_t handle, const double* row, int32_t feature_count,
    double* out, int32_t out_capacity, decide_result_t* result);

/**
 * Creative quota (ACQ): k* = argmax_k (v_k - lambda * c_k) with the artifact's lambda.
 *
 * @param values the K option values (or, for a model-valued quota, the value model's feature row).
 * @param count  must equal K (or the model's feature count).
 * @param k      receives k*.
 */
int decide_quota(decide_engine_t* engine, int32_t handle, const double* values, int32_t count, int32_t* k,
    decide_result_t* result);

/**
 * Ranking with quality scalars: the top k candidates of a batch by eCPM - sum_q scalar_q * pQuality_q. Needs no
 * artifact. The batch layout (io.decide.engine.rank.CandidateBatchDescriptor), little-endian, 8-byte aligned:
 *   int32 N, int32 Q, then N records of (double eCPM, double pQuality[Q]); 8 + N * 8 * (1 + Q) bytes.
 *
 * @param batch          the batch.
 * @param batch_length   bytes at batch (at least the batch's length).
 * @param scalars        quality scalars, at least Q of them.
 * @param scalar_count   scalars given.
 * @param k              how many to select.
 * @param out            receives candidate indices, best first (result->count = min(k, N) of them).
 * @param out_capacity   ints available at out; at least min(k, N).
 */
int decide_rank(decide_engine_t* engine, const void* batch, int32_t batch_length, const double* scalars,
    int32_t scalar_count, int32_t k, int32_t* out, int32_t out_capacity, decide_result_t* result);

/**
 * Quality-bid scalars of a request (Opus): the artifact's Q bids' scalars, in its bid order. With a feature row,
 * bids with a sensitivity model take their cohort from the model and the others from the cohort table
 * (options.cohort_table) by user id; with feature_count 0, every bid's cohort comes from the table. A bid whose
 * cohort is unknown (no table, unknown user, NaN sensitivity) gets its default scalar.
 *
 * @param user_id       the user (cohort table key).
 * @param row           feature_count doubles, NaN for missing; may be NULL when feature_count is 0.
 * @param feature_count 0, or exactly the models' feature count (decide_input_width with DECIDE_KIND_SCALAR).
 * @param out           receives Q scalars (result->count = Q).
 * @param out_capacity  doubles available at out; at least Q, else DECIDE_E_BAD_SIZE.
 */
int decide_scalars(decide_engine_t* engine, int32_t handle, int64_t user_id, const double* row,
    int32_t feature_count, double* out, int32_t out_capacity, decide_result_t* result);

/**
 * Ad-slot pattern of a feed fetch: reads the user's session state (options.state_dir), picks a pattern by the
 * artifact's policy with the draw seeded by (artifact version, request_id), and records it in the state. The
 * same state, request id and artifact version always give the same answer. Threads may decide concurrently, but
 * one user's read-decide-record is not atomic: route a user's feeds to one thread at a time (feeds of one user are
 * sequential anyway), otherwise two concurrent feeds of that user may both see the same previous state.
 *
 * @param request_id    the host's id of the feed fetch (seeds the draw).
 * @param user_id       the user (session-state key).
 * @param now_ms        request time, epoch milliseconds, > 0 (else DECIDE_E_BAD_REQUEST).
 * @param features      the artifact's C context features (the state-fed ones are overwritten from the state).
 * @param feature_count must equal C (decide_input_width with DECIDE_KIND_AD_SLOT).
 * @param choice        receives pattern, mask and propensity.
 * @param probabilities receives the P patterns' probabilities (result->count = P; result->version = the
 *                      answering artifact version).
 * @param capacity      doubles available at probabilities; at least P, else DECIDE_E_BAD_SIZE (checked before the
 *                      state is touched).
 * @return DECIDE_OK; DECIDE_E_UNSUPPORTED_KIND without options.state_dir; DECIDE_E_BAD_SIZE; ...
 */
int decide_ad_slot(decide_engine_t* engine, int32_t handle, int64_t request_id, int64_t user_id, int64_t now_ms,
    const double* features, int32_t feature_count, decide_ad_slot_t* choice, double* probabilities, int32_t capacity,
    decide_result_t* result);

/*
 * Adding a decision kind, once engine-core's DecisionEngine has a method for it:
 *  1. here: one function, e.g. (as decide_scalars above)
 *       int decide_KIND(decide_engine_t* engine, int32_t handle, ... inputs ..., double* out,
 *           int32_t out_capacity, decide_result_t* result);
 *  2. io.decide.jni.NativeBridge: one static method taking (engineId, handle, addresses as long, lengths as int,
 *     resultAddress) that wraps the addresses in the thread's UnsafeBuffers, calls the facade and returns its status;
 *  3. decide.c: one entry in the METHODS table (name + JNI signature) and one function that checks arguments and
 *     calls it through call_decision();
 *  4. DecideError: nothing, unless the kind brings a new status (then add it to DecisionStatus and here).
 */

#ifdef __cplusplus
}
#endif

#endif /* DECIDE_H */
