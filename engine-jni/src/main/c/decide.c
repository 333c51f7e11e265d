/*
 * libdecide.so: the C ABI of decide.h over engine-core, through io.decide.jni.NativeBridge.
 *
 * JVM: created once per process with the Invocation API (libjvm.so is dlopen'ed from options.java_home, JAVA_HOME
 * or the java.home of the build), or joined when the process already has one (JNI_GetCreatedJavaVMs). Its options
 * are the project's flags from jvm.properties (compiled in as DECIDE_JVM_FLAGS by the Makefile), -Xrs (the host
 * keeps SIGINT/SIGTERM/SIGQUIT), then options.jvm_options.
 *
 * Threads: a thread is attached (as a daemon) on its first call; a pthread key destructor calls
 * NativeBridge.threadExit() and detaches it when it exits. JNIEnv is cached in thread-local storage. Decision calls
 * pass primitives only (addresses as jlong), so they create no local references; the few calls that pass strings
 * delete theirs.
 *
 * Adding a decision kind: a METHODS entry (name and signature), a function that checks its arguments and calls
 * call_int(), and its declaration in decide.h.
 */
#define _GNU_SOURCE
#include "decide.h"
#include "decide_build.h"

#include <jni.h>
#include <dlfcn.h>
#include <glob.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECIDE_EXPORT __attribute__((visibility("default")))

/* io.decide.jni.NativeBridge writes these structs at these offsets (RESULT_*_OFFSET, STATS_LENGTH). */
_Static_assert(sizeof(decide_result_t) == 16, "decide_result_t is 16 bytes");
_Static_assert(offsetof(decide_result_t, version) == 0, "version at 0");
_Static_assert(offsetof(decide_result_t, count) == 8, "count at 8");
_Static_assert(offsetof(decide_result_t, fallback) == 12, "fallback at 12");
_Static_assert(sizeof(decide_reload_stats_t) == 8 && offsetof(decide_reload_stats_t, rejected) == 4,
    "decide_reload_stats_t: loaded at 0, rejected at 4");

#define ENGINE_MAGIC 0x44454349u
#define ENGINE_CLOSED_MAGIC 0x44454144u
#define ERRMSG_CAPACITY 2048
/* Largest element count whose byte length still fits a Java int (the bridge wraps lengths as int). */
#define MAX_DOUBLES (INT32_MAX / 8)
#define MAX_INTS (INT32_MAX / 4)

#ifdef JNI_VERSION_10
#define DECIDE_JNI_VERSION JNI_VERSION_10
#else
#define DECIDE_JNI_VERSION JNI_VERSION_1_8
#endif

struct decide_engine_s
{
    atomic_uint magic;
    int32_t id;
    /* Every engine ever opened, closed ones included: a closed engine stays allocated so late calls with it get
     * DECIDE_E_CLOSED instead of reading freed memory (a few bytes per decide_open). */
    struct decide_engine_s* next_opened;
};

typedef jint (*create_vm_fn)(JavaVM**, void**, void*);
typedef jint (*created_vms_fn)(JavaVM**, jsize, jsize*);

enum
{
    M_OPEN, M_CLOSE, M_RELOAD, M_HANDLE, M_HANDLE_COUNT, M_NAME, M_VERSION, M_INPUT_WIDTH,
    M_PREDICT, M_QUOTA, M_RANK, M_SCALARS, M_AD_SLOT, M_LAST_ERROR, M_THREAD_EXIT, M_COUNT
};

static const struct
{
    const char* name;
    const char* signature;
} METHODS[M_COUNT] = {
    [M_OPEN] = { "open", "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;IIZLjava/lang/String;)I" },
    [M_CLOSE] = { "close", "(I)I" },
    [M_RELOAD] = { "reload", "(IJ)I" },
    [M_HANDLE] = { "handle", "(ILjava/lang/String;)I" },
    [M_HANDLE_COUNT] = { "handleCount", "(I)I" },
    [M_NAME] = { "name", "(IIJI)I" },
    [M_VERSION] = { "version", "(IIJ)I" },
    [M_INPUT_WIDTH] = { "inputWidth", "(III)I" },
    [M_PREDICT] = { "predict", "(IIJIJIJ)I" },
    [M_QUOTA] = { "quota", "(IIJIJJ)I" },
    [M_RANK] = { "rank", "(IJIJIIJIJ)I" },
    [M_SCALARS] = { "scalars", "(IIJJIJIJ)I" },
    [M_AD_SLOT] = { "adSlot", "(IIJJJJIJJIJ)I" },
    [M_LAST_ERROR] = { "lastError", "(JI)I" },
    [M_THREAD_EXIT] = { "threadExit", "()V" },
};

static __thread int tl_errcode;
static __thread char tl_errmsg[ERRMSG_CAPACITY];
static __thread JNIEnv* tl_env;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static JavaVM* g_vm;
static jclass g_bridge;
static jmethodID g_methods[M_COUNT];
static pthread_key_t g_detach_key;
static atomic_int g_ready;
static decide_engine_t* g_opened;

static int set_error(const int code, const char* format, ...) __attribute__((format(printf, 2, 3)));

static int set_error(const int code, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(tl_errmsg, sizeof(tl_errmsg), format, args);
    va_end(args);
    tl_errcode = code;
    return code;
}

DECIDE_EXPORT int decide_errcode(void)
{
    return tl_errcode;
}

DECIDE_EXPORT const char* decide_errmsg(void)
{
    return tl_errmsg;
}

DECIDE_EXPORT const char* decide_strerror(const int code)
{
    switch (code)
    {
        case DECIDE_OK: return "DECIDE_OK";
        case DECIDE_E_UNKNOWN_ARTIFACT: return "DECIDE_E_UNKNOWN_ARTIFACT";
        case DECIDE_E_WRONG_KIND: return "DECIDE_E_WRONG_KIND";
        case DECIDE_E_BAD_SIZE: return "DECIDE_E_BAD_SIZE";
        case DECIDE_E_UNSUPPORTED_KIND: return "DECIDE_E_UNSUPPORTED_KIND";
        case DECIDE_E_BAD_REQUEST: return "DECIDE_E_BAD_REQUEST";
        case DECIDE_E_INTERNAL_ERROR: return "DECIDE_E_INTERNAL_ERROR";
        case DECIDE_E_NULL_ARGUMENT: return "DECIDE_E_NULL_ARGUMENT";
        case DECIDE_E_BAD_ARGUMENT: return "DECIDE_E_BAD_ARGUMENT";
        case DECIDE_E_CLOSED: return "DECIDE_E_CLOSED";
        case DECIDE_E_JVM: return "DECIDE_E_JVM";
        case DECIDE_E_ATTACH: return "DECIDE_E_ATTACH";
        case DECIDE_E_OPEN: return "DECIDE_E_OPEN";
        case DECIDE_E_ARTIFACT_REJECTED: return "DECIDE_E_ARTIFACT_REJECTED";
        case DECIDE_E_TOO_MANY_THREADS: return "DECIDE_E_TOO_MANY_THREADS";
        case DECIDE_E_NO_MEMORY: return "DECIDE_E_NO_MEMORY";
        case DECIDE_E_JAVA_EXCEPTION: return "DECIDE_E_JAVA_EXCEPTION";
        default: return "DECIDE_E_UNKNOWN_CODE";
    }
}

DECIDE_EXPORT void decide_options_init(decide_options_t* options)
{
    if (options != NULL)
    {
        memset(options, 0, sizeof(*options));
    }
}

/* Called at thread exit for threads this library attached: give the contexts back, then detach. */
static void detach_thread(void* value)
{
    JNIEnv* env = (JNIEnv*)value;
    if (env != NULL && g_vm != NULL)
    {
        (*env)->CallStaticVoidMethod(env, g_bridge, g_methods[M_THREAD_EXIT]);
        if ((*env)->ExceptionCheck(env))
        {
            (*env)->ExceptionClear(env);
        }
        (*g_vm)->DetachCurrentThread(g_vm);
    }
    tl_env = NULL;
}

static JNIEnv* attach(void)
{
    JNIEnv* env = NULL;
    const jint rc = (*g_vm)->GetEnv(g_vm, (void**)&env, DECIDE_JNI_VERSION);
    if (rc == JNI_OK)
    {
        tl_env = env;
        return env;
    }
    if (rc != JNI_EDETACHED)
    {
        set_error(DECIDE_E_ATTACH, "cannot attach thread: GetEnv returned %d", (int)rc);
        return NULL;
    }
    JavaVMAttachArgs args = { .version = DECIDE_JNI_VERSION, .name = (char*)"decide-native", .group = NULL };
    const jint attached = (*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void**)&env, &args);
    if (attached != JNI_OK)
    {
        set_error(DECIDE_E_ATTACH, "cannot attach thread to the JVM: AttachCurrentThreadAsDaemon returned %d",
            (int)attached);
        return NULL;
    }
    pthread_setspecific(g_detach_key, env);
    tl_env = env;
    return env;
}

static inline JNIEnv* env_or_attach(void)
{
    JNIEnv* env = tl_env;
    return env != NULL ? env : attach();
}

/* Append one option; returns 0, or -1 when out of memory. */
static int add_option(JavaVMOption** options, int* count, int* capacity, const char* text)
{
    if (*count == *capacity)
    {
        const int grown = *capacity == 0 ? 16 : *capacity * 2;
        JavaVMOption* bigger = realloc(*options, sizeof(JavaVMOption) * (size_t)grown);
        if (bigger == NULL)
        {
            return -1;
        }
        *options = bigger;
        *capacity = grown;
    }
    char* copy = strdup(text);
    if (copy == NULL)
    {
        return -1;
    }
    (*options)[*count].optionString = copy;
    (*options)[*count].extraInfo = NULL;
    (*count)++;
    return 0;
}

static int add_split_options(JavaVMOption** options, int* count, int* capacity, const char* text)
{
    if (text == NULL)
    {
        return 0;
    }
    char* copy = strdup(text);
    if (copy == NULL)
    {
        return -1;
    }
    int rc = 0;
    char* save = NULL;
    for (char* token = strtok_r(copy, " \t\r\n", &save); token != NULL && rc == 0;
        token = strtok_r(NULL, " \t\r\n", &save))
    {
        rc = add_option(options, count, capacity, token);
    }
    free(copy);
    return rc;
}

/* Expand class path entries ending in a slash and a star to the jars of their directory (as the java launcher
 * does; the Invocation API does not). */
static char* expand_classpath(const char* classpath)
{
    size_t capacity = strlen(classpath) + 64;
    size_t length = 0;
    char* result = malloc(capacity);
    char* copy = strdup(classpath);
    if (result == NULL || copy == NULL)
    {
        free(result);
        free(copy);
        return NULL;
    }
    result[0] = '\0';
    char* save = NULL;
    for (char* entry = strtok_r(copy, ":", &save); entry != NULL; entry = strtok_r(NULL, ":", &save))
    {
        const size_t entry_length = strlen(entry);
        glob_t found;
        memset(&found, 0, sizeof(found));
        const int wildcard = entry_length >= 1 && entry[entry_length - 1] == '*' &&
            (entry_length == 1 || entry[entry_length - 2] == '/');
        size_t pieces = 1;
        if (wildcard)
        {
            char pattern[4096];
            snprintf(pattern, sizeof(pattern), "%.*s*.jar", (int)(entry_length - 1), entry);
            if (glob(pattern, 0, NULL, &found) != 0)
            {
                found.gl_pathc = 0;
            }
            pieces = found.gl_pathc;
        }
        for (size_t i = 0; i < pieces; i++)
        {
            const char* piece = wildcard ? found.gl_pathv[i] : entry;
            const size_t piece_length = strlen(piece);
            if (length + piece_length + 2 > capacity)
            {
                capacity = (length + piece_length + 2) * 2;
                char* bigger = realloc(result, capacity);
                if (bigger == NULL)
                {
                    free(result);
                    free(copy);
                    globfree(&found);
                    return NULL;
                }
                result = bigger;
            }
            if (length > 0)
            {
                result[length++] = ':';
            }
            memcpy(result + length, piece, piece_length + 1);
            length += piece_length;
        }
        if (wildcard)
        {
            globfree(&found);
        }
    }
    free(copy);
    return result;
}

static void* open_libjvm(const decide_options_t* options, char* tried, const size_t tried_capacity)
{
    const char* homes[3] = { options->java_home, getenv("JAVA_HOME"), DECIDE_BUILD_JAVA_HOME };
    size_t used = 0;
    tried[0] = '\0';
    for (int i = 0; i < 3; i++)
    {
        if (homes[i] == NULL || homes[i][0] == '\0')
        {
            continue;
        }
        char path[4096];
        snprintf(path, sizeof(path), "%s/lib/server/libjvm.so", homes[i]);
        void* library = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
        if (library != NULL)
        {
            return library;
        }
        const int n = snprintf(tried + used, tried_capacity - used, "%s%s (%s)", used == 0 ? "" : "; ", path,
            dlerror());
        if (n > 0 && (size_t)n < tried_capacity - used)
        {
            used += (size_t)n;
        }
        if (i == 0)
        {
            break; /* an explicit java_home is the only one tried */
        }
    }
    return NULL;
}

static int create_vm(const decide_options_t* options, JNIEnv** env_out)
{
    created_vms_fn created = (created_vms_fn)dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
    if (created != NULL)
    {
        JavaVM* vm = NULL;
        jsize count = 0;
        if (created(&vm, 1, &count) == JNI_OK && count > 0)
        {
            g_vm = vm;
            *env_out = NULL;
            return DECIDE_OK;
        }
    }
    char tried[2048];
    void* library = open_libjvm(options, tried, sizeof(tried));
    if (library == NULL)
    {
        return set_error(DECIDE_E_JVM, "decide_open: cannot load libjvm.so (set options.java_home or JAVA_HOME to "
            "a Java 17+ home); tried: %s", tried[0] != '\0' ? tried : "no java home given");
    }
    created = (created_vms_fn)dlsym(library, "JNI_GetCreatedJavaVMs");
    create_vm_fn create = (create_vm_fn)dlsym(library, "JNI_CreateJavaVM");
    if (created == NULL || create == NULL)
    {
        return set_error(DECIDE_E_JVM, "decide_open: libjvm.so lacks the Invocation API symbols");
    }
    JavaVM* existing = NULL;
    jsize count = 0;
    if (created(&existing, 1, &count) == JNI_OK && count > 0)
    {
        g_vm = existing;
        *env_out = NULL;
        return DECIDE_OK;
    }

    const char* classpath = options->classpath != NULL ? options->classpath : getenv("DECIDE_CLASSPATH");
    if (classpath == NULL || classpath[0] == '\0')
    {
        return set_error(DECIDE_E_JVM, "decide_open: no class path for the JVM: set options.classpath or "
            "DECIDE_CLASSPATH to the engine-jni classes and their dependencies");
    }
    char* expanded = expand_classpath(classpath);
    if (expanded == NULL)
    {
        return set_error(DECIDE_E_NO_MEMORY, "decide_open: out of memory building the class path");
    }
    JavaVMOption* vm_options = NULL;
    int vm_option_count = 0;
    int vm_option_capacity = 0;
    const size_t property_length = strlen(expanded) + 32;
    char* property = malloc(property_length);
    int rc = property == NULL ? -1 : 0;
    if (rc == 0)
    {
        snprintf(property, property_length, "-Djava.class.path=%s", expanded);
        rc = add_option(&vm_options, &vm_option_count, &vm_option_capacity, property);
    }
    if (rc == 0)
    {
        rc = add_split_options(&vm_options, &vm_option_count, &vm_option_capacity, DECIDE_JVM_FLAGS);
    }
    if (rc == 0)
    {
        rc = add_option(&vm_options, &vm_option_count, &vm_option_capacity, "-Xrs");
    }
    if (rc == 0)
    {
        rc = add_split_options(&vm_options, &vm_option_count, &vm_option_capacity, options->jvm_options);
    }
    int result = DECIDE_OK;
    if (rc != 0)
    {
        result = set_error(DECIDE_E_NO_MEMORY, "decide_open: out of memory building the JVM options");
    }
    else
    {
        JavaVMInitArgs args;
        args.version = DECIDE_JNI_VERSION;
        args.nOptions = vm_option_count;
        args.options = vm_options;
        args.ignoreUnrecognized = JNI_FALSE;
        JavaVM* vm = NULL;
        JNIEnv* env = NULL;
        const jint created_rc = create(&vm, (void**)&env, &args);
        if (created_rc != JNI_OK)
        {
            result = set_error(DECIDE_E_JVM, "decide_open: JNI_CreateJavaVM returned %d (options: %s %s; "
                "class path: %s)", (int)created_rc, DECIDE_JVM_FLAGS,
                options->jvm_options != NULL ? options->jvm_options : "", expanded);
        }
        else
        {
            g_vm = vm;
            *env_out = env;
        }
    }
    for (int i = 0; i < vm_option_count; i++)
    {
        free(vm_options[i].optionString);
    }
    free(vm_options);
    free(property);
    free(expanded);
    return result;
}

/* Create or join the JVM and look up the bridge, once per process. */
static int ensure_ready(const decide_options_t* options)
{
    if (atomic_load_explicit(&g_ready, memory_order_acquire))
    {
        return DECIDE_OK;
    }
    pthread_mutex_lock(&g_lock);
    int result = DECIDE_OK;
    if (!atomic_load_explicit(&g_ready, memory_order_relaxed))
    {
        JNIEnv* created_env = NULL;
        if (g_vm == NULL)
        {
            result = create_vm(options, &created_env);
        }
        JNIEnv* env = NULL;
        if (result == DECIDE_OK)
        {
            if (pthread_key_create(&g_detach_key, detach_thread) != 0)
            {
                result = set_error(DECIDE_E_NO_MEMORY, "decide_open: pthread_key_create failed");
            }
        }
        if (result == DECIDE_OK)
        {
            if (created_env != NULL)
            {
                /* JNI_CreateJavaVM attached this thread: detach it at its exit like any other. */
                env = created_env;
                tl_env = env;
                pthread_setspecific(g_detach_key, env);
            }
            else
            {
                env = env_or_attach();
                if (env == NULL)
                {
                    result = tl_errcode;
                }
            }
        }
        if (result == DECIDE_OK)
        {
            jclass local = (*env)->FindClass(env, "io/decide/jni/NativeBridge");
            if (local == NULL)
            {
                (*env)->ExceptionClear(env);
                result = set_error(DECIDE_E_JVM, "decide_open: class io.decide.jni.NativeBridge is not on the JVM's "
                    "class path (give options.classpath or DECIDE_CLASSPATH the engine-jni classes and their "
                    "dependencies; a JVM that already runs must have them)");
            }
            else
            {
                g_bridge = (jclass)(*env)->NewGlobalRef(env, local);
                (*env)->DeleteLocalRef(env, local);
                for (int i = 0; i < M_COUNT && result == DECIDE_OK; i++)
                {
                    g_methods[i] = (*env)->GetStaticMethodID(env, g_bridge, METHODS[i].name, METHODS[i].signature);
                    if (g_methods[i] == NULL)
                    {
                        (*env)->ExceptionClear(env);
                        result = set_error(DECIDE_E_JVM, "decide_open: io.decide.jni.NativeBridge.%s%s not found: "
                            "libdecide.so and the engine-jni classes are from different builds", METHODS[i].name,
                            METHODS[i].signature);
                    }
                }
                if (result == DECIDE_OK)
                {
                    atomic_store_explicit(&g_ready, 1, memory_order_release);
                }
                else
                {
                    (*env)->DeleteGlobalRef(env, g_bridge);
                    g_bridge = NULL;
                }
            }
        }
    }
    pthread_mutex_unlock(&g_lock);
    return result;
}

/* After a bridge call: turn an escaped exception or a negative code into this thread's error. */
static int finish(JNIEnv* env, const jint rc, const char* function)
{
    if ((*env)->ExceptionCheck(env))
    {
        (*env)->ExceptionClear(env);
        return set_error(DECIDE_E_JAVA_EXCEPTION, "%s: a Java exception escaped io.decide.jni.NativeBridge", function);
    }
    if (rc < 0)
    {
        (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_LAST_ERROR], (jlong)(intptr_t)tl_errmsg,
            (jint)sizeof(tl_errmsg));
        if ((*env)->ExceptionCheck(env))
        {
            (*env)->ExceptionClear(env);
            snprintf(tl_errmsg, sizeof(tl_errmsg), "%s: %s", function, decide_strerror(rc));
        }
        tl_errcode = rc;
        return rc;
    }
    return rc;
}

/* Check an engine argument and get the calling thread's JNIEnv. */
static inline int enter(const decide_engine_t* engine, const char* function, JNIEnv** env)
{
    if (engine == NULL)
    {
        return set_error(DECIDE_E_NULL_ARGUMENT, "%s: engine is NULL", function);
    }
    const unsigned magic = atomic_load_explicit(&engine->magic, memory_order_acquire);
    if (magic != ENGINE_MAGIC)
    {
        return magic == ENGINE_CLOSED_MAGIC ?
            set_error(DECIDE_E_CLOSED, "%s: engine %d is closed", function, (int)engine->id) :
            set_error(DECIDE_E_BAD_ARGUMENT, "%s: not an engine returned by decide_open", function);
    }
    JNIEnv* e = env_or_attach();
    if (e == NULL)
    {
        return tl_errcode;
    }
    *env = e;
    return DECIDE_OK;
}

#define ADDRESS(p) ((jlong)(intptr_t)(p))

static jstring new_string_or_null(JNIEnv* env, const char* text)
{
    return text == NULL ? NULL : (*env)->NewStringUTF(env, text);
}

DECIDE_EXPORT int decide_open(const char* policy_dir, const decide_options_t* options, decide_engine_t** engine)
{
    if (policy_dir == NULL || engine == NULL)
    {
        return set_error(DECIDE_E_NULL_ARGUMENT, "decide_open: %s is NULL", policy_dir == NULL ? "policy_dir" :
            "engine");
    }
    decide_options_t defaults;
    decide_options_init(&defaults);
    const decide_options_t* opts = options != NULL ? options : &defaults;
    if (opts->max_threads < 0 || opts->max_candidates < 0)
    {
        return set_error(DECIDE_E_BAD_ARGUMENT, "decide_open: max_threads %d and max_candidates %d must be >= 0 "
            "(0 = default)", (int)opts->max_threads, (int)opts->max_candidates);
    }
    int rc = ensure_ready(opts);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    JNIEnv* env = env_or_attach();
    if (env == NULL)
    {
        return tl_errcode;
    }
    decide_engine_t* created = calloc(1, sizeof(decide_engine_t));
    if (created == NULL)
    {
        return set_error(DECIDE_E_NO_MEMORY, "decide_open: out of memory");
    }
    jstring dir = (*env)->NewStringUTF(env, policy_dir);
    jstring state = new_string_or_null(env, opts->state_dir);
    jstring log = new_string_or_null(env, opts->log_dir);
    jstring table = new_string_or_null(env, opts->cohort_table);
    jint id = DECIDE_E_NO_MEMORY;
    if (dir != NULL && (opts->state_dir == NULL || state != NULL) && (opts->log_dir == NULL || log != NULL) &&
        (opts->cohort_table == NULL || table != NULL))
    {
        id = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_OPEN], dir, state, log,
            (jint)opts->max_threads, (jint)opts->max_candidates, opts->fail_on_rejected ? JNI_TRUE : JNI_FALSE,
            table);
    }
    else
    {
        (*env)->ExceptionClear(env);
    }
    if (dir != NULL)
    {
        (*env)->DeleteLocalRef(env, dir);
    }
    if (state != NULL)
    {
        (*env)->DeleteLocalRef(env, state);
    }
    if (log != NULL)
    {
        (*env)->DeleteLocalRef(env, log);
    }
    if (table != NULL)
    {
        (*env)->DeleteLocalRef(env, table);
    }
    rc = finish(env, id, "decide_open");
    if (rc < 0)
    {
        free(created);
        return rc;
    }
    created->id = id;
    atomic_store_explicit(&created->magic, ENGINE_MAGIC, memory_order_release);
    pthread_mutex_lock(&g_lock);
    created->next_opened = g_opened;
    g_opened = created;
    pthread_mutex_unlock(&g_lock);
    *engine = created;
    return DECIDE_OK;
}

DECIDE_EXPORT int decide_close(decide_engine_t* engine)
{
    JNIEnv* env = NULL;
    const int rc = enter(engine, "decide_close", &env);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    unsigned expected = ENGINE_MAGIC;
    if (!atomic_compare_exchange_strong(&engine->magic, &expected, ENGINE_CLOSED_MAGIC))
    {
        return set_error(DECIDE_E_CLOSED, "decide_close: engine %d is closed", (int)engine->id);
    }
    const jint closed = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_CLOSE], (jint)engine->id);
    return finish(env, closed, "decide_close");
}

DECIDE_EXPORT int decide_reload(decide_engine_t* engine, decide_reload_stats_t* stats)
{
    JNIEnv* env = NULL;
    const int rc = enter(engine, "decide_reload", &env);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    const jint reloaded = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_RELOAD], (jint)engine->id,
        ADDRESS(stats));
    return finish(env, reloaded, "decide_reload");
}

DECIDE_EXPORT int decide_handle(decide_engine_t* engine, const char* name, int32_t* handle)
{
    JNIEnv* env = NULL;
    const int rc = enter(engine, "decide_handle", &env);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    if (name == NULL || handle == NULL)
    {
        return set_error(DECIDE_E_NULL_ARGUMENT, "decide_handle: %s is NULL", name == NULL ? "name" : "handle");
    }
    jstring text = (*env)->NewStringUTF(env, name);
    if (text == NULL)
    {
        (*env)->ExceptionClear(env);
        return set_error(DECIDE_E_NO_MEMORY, "decide_handle: cannot make a Java string of the name");
    }
    const jint found = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_HANDLE], (jint)engine->id, text);
    (*env)->DeleteLocalRef(env, text);
    const int result = finish(env, found, "decide_handle");
    if (result < 0)
    {
        return result;
    }
    *handle = found;
    return DECIDE_OK;
}

DECIDE_EXPORT int decide_handle_count(decide_engine_t* engine, int32_t* count)
{
    JNIEnv* env = NULL;
    const int rc = enter(engine, "decide_handle_count", &env);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    if (count == NULL)
    {
        return set_error(DECIDE_E_NULL_ARGUMENT, "decide_handle_count: count is NULL");
    }
    const jint n = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_HANDLE_COUNT], (jint)engine->id);
    const int result = finish(env, n, "decide_handle_count");
    if (result < 0)
    {
        return result;
    }
    *count = n;
    return DECIDE_OK;
}

DECIDE_EXPORT int decide_name(decide_engine_t* engine, const int32_t handle, char* buf, const int32_t capacity)
{
    JNIEnv* env = NULL;
    const int rc = enter(engine, "decide_name", &env);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    if (buf == NULL)
    {
        return set_error(DECIDE_E_NULL_ARGUMENT, "decide_name: buf is NULL");
    }
    if (capacity < 1)
    {
        return set_error(DECIDE_E_BAD_SIZE, "decide_name: capacity %d, expected >= 1", (int)capacity);
    }
    const jint copied = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_NAME], (jint)engine->id,
        (jint)handle, ADDRESS(buf), (jint)capacity);
    return finish(env, copied, "decide_name");
}

DECIDE_EXPORT int decide_version(decide_engine_t* engine, const int32_t handle, int64_t* version)
{
    JNIEnv* env = NULL;
    const int rc = enter(engine, "decide_version", &env);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    if (version == NULL)
    {
        return set_error(DECIDE_E_NULL_ARGUMENT, "decide_version: version is NULL");
    }
    const jint got = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_VERSION], (jint)engine->id,
        (jint)handle, ADDRESS(version));
    return finish(env, got, "decide_version");
}

DECIDE_EXPORT int decide_input_width(decide_engine_t* engine, const int32_t handle, const int32_t kind,
    int32_t* width)
{
    JNIEnv* env = NULL;
    const int rc = enter(engine, "decide_input_width", &env);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    if (width == NULL)
    {
        return set_error(DECIDE_E_NULL_ARGUMENT, "decide_input_width: width is NULL");
    }
    const jint w = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_INPUT_WIDTH], (jint)engine->id,
        (jint)handle, (jint)kind);
    const int result = finish(env, w, "decide_input_width");
    if (result < 0)
    {
        return result;
    }
    *width = w;
    return DECIDE_OK;
}

DECIDE_EXPORT int decide_predict(decide_engine_t* engine, const int32_t handle, const double* row,
    const int32_t feature_count, double* out, const int32_t out_capacity, decide_result_t* result)
{
    JNIEnv* env = NULL;
    const int rc = enter(engine, "decide_predict", &env);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    if (row == NULL || out == NULL)
    {
        return set_error(DECIDE_E_NULL_ARGUMENT, "decide_predict: %s is NULL", row == NULL ? "row" : "out");
    }
    if (feature_count < 0 || feature_count > MAX_DOUBLES || out_capacity < 0 || out_capacity > MAX_DOUBLES)
    {
        return set_error(DECIDE_E_BAD_SIZE, "decide_predict: feature_count %d and out_capacity %d must be in "
            "0..%d", (int)feature_count, (int)out_capacity, MAX_DOUBLES);
    }
    const jint status = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_PREDICT], (jint)engine->id,
        (jint)handle, ADDRESS(row), (jint)feature_count, ADDRESS(out), (jint)out_capacity, ADDRESS(result));
    return finish(env, status, "decide_predict");
}

DECIDE_EXPORT int decide_quota(decide_engine_t* engine, const int32_t handle, const double* values,
    const int32_t count, int32_t* k, decide_result_t* result)
{
    JNIEnv* env = NULL;
    const int rc = enter(engine, "decide_quota", &env);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    if (values == NULL || k == NULL)
    {
        return set_error(DECIDE_E_NULL_ARGUMENT, "decide_quota: %s is NULL", values == NULL ? "values" : "k");
    }
    if (count < 0 || count > MAX_DOUBLES)
    {
        return set_error(DECIDE_E_BAD_SIZE, "decide_quota: count %d must be in 0..%d", (int)count, MAX_DOUBLES);
    }
    const jint status = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_QUOTA], (jint)engine->id,
        (jint)handle, ADDRESS(values), (jint)count, ADDRESS(k), ADDRESS(result));
    return finish(env, status, "decide_quota");
}

DECIDE_EXPORT int decide_rank(decide_engine_t* engine, const void* batch, const int32_t batch_length,
    const double* scalars, const int32_t scalar_count, const int32_t k, int32_t* out, const int32_t out_capacity,
    decide_result_t* result)
{
    JNIEnv* env = NULL;
    const int rc = enter(engine, "decide_rank", &env);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    if (batch == NULL || out == NULL || (scalars == NULL && scalar_count > 0))
    {
        return set_error(DECIDE_E_NULL_ARGUMENT, "decide_rank: %s is NULL", batch == NULL ? "batch" :
            out == NULL ? "out" : "scalars");
    }
    if (batch_length < 0 || scalar_count < 0 || scalar_count > MAX_DOUBLES || k < 0 || out_capacity < 0 ||
        out_capacity > MAX_INTS)
    {
        return set_error(DECIDE_E_BAD_SIZE, "decide_rank: batch_length %d, scalar_count %d, k %d and out_capacity "
            "%d must be >= 0 (and fit a Java int in bytes)", (int)batch_length, (int)scalar_count, (int)k,
            (int)out_capacity);
    }
    const jint status = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_RANK], (jint)engine->id,
        ADDRESS(batch), (jint)batch_length, ADDRESS(scalars), (jint)scalar_count, (jint)k, ADDRESS(out),
        (jint)out_capacity, ADDRESS(result));
    return finish(env, status, "decide_rank");
}

DECIDE_EXPORT int decide_scalars(decide_engine_t* engine, const int32_t handle, const int64_t user_id,
    const double* row, const int32_t feature_count, double* out, const int32_t out_capacity, decide_result_t* result)
{
    JNIEnv* env = NULL;
    const int rc = enter(engine, "decide_scalars", &env);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    if ((row == NULL && feature_count > 0) || out == NULL)
    {
        return set_error(DECIDE_E_NULL_ARGUMENT, "decide_scalars: %s is NULL", out == NULL ? "out" : "row");
    }
    if (feature_count < 0 || feature_count > MAX_DOUBLES || out_capacity < 0 || out_capacity > MAX_DOUBLES)
    {
        return set_error(DECIDE_E_BAD_SIZE, "decide_scalars: feature_count %d and out_capacity %d must be in "
            "0..%d", (int)feature_count, (int)out_capacity, MAX_DOUBLES);
    }
    const jint status = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_SCALARS], (jint)engine->id,
        (jint)handle, (jlong)user_id, ADDRESS(row), (jint)feature_count, ADDRESS(out), (jint)out_capacity,
        ADDRESS(result));
    return finish(env, status, "decide_scalars");
}

DECIDE_EXPORT int decide_ad_slot(decide_engine_t* engine, const int32_t handle, const int64_t request_id,
    const int64_t user_id, const int64_t now_ms, const double* features, const int32_t feature_count,
    decide_ad_slot_t* choice, double* probabilities, const int32_t capacity, decide_result_t* result)
{
    JNIEnv* env = NULL;
    const int rc = enter(engine, "decide_ad_slot", &env);
    if (rc != DECIDE_OK)
    {
        return rc;
    }
    if ((features == NULL && feature_count > 0) || choice == NULL || probabilities == NULL)
    {
        return set_error(DECIDE_E_NULL_ARGUMENT, "decide_ad_slot: %s is NULL", choice == NULL ? "choice" :
            probabilities == NULL ? "probabilities" : "features");
    }
    if (feature_count < 0 || feature_count > MAX_DOUBLES || capacity < 0 || capacity > MAX_DOUBLES)
    {
        return set_error(DECIDE_E_BAD_SIZE, "decide_ad_slot: feature_count %d and capacity %d must be in 0..%d",
            (int)feature_count, (int)capacity, MAX_DOUBLES);
    }
    const jint status = (*env)->CallStaticIntMethod(env, g_bridge, g_methods[M_AD_SLOT], (jint)engine->id,
        (jint)handle, (jlong)request_id, (jlong)user_id, (jlong)now_ms, ADDRESS(features), (jint)feature_count,
        ADDRESS(choice), ADDRESS(probabilities), (jint)capacity, ADDRESS(result));
    return finish(env, status, "decide_ad_slot");
}
