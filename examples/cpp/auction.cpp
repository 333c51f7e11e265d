// Decide from C++, shaped like an auction server's loop: per request, predict each candidate's action rate with a
// GBDT, price candidates (eCPM = bid x rate), rank them with the user's quality scalars, and pick the creative
// quota k* for the winner. The engine is wrapped in a small RAII class that turns error codes into exceptions.
//
//   example_cpp POLICY_DIR [AUCTIONS]   (needs "ctr": GBDT predict, and "quota": QUOTA_DUAL, in POLICY_DIR)
#include "decide.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{
class DecideError : public std::runtime_error
{
public:
    explicit DecideError(const std::string& what) : std::runtime_error(what + ": " + decide_errmsg())
    {
    }
};

void check(const int rc, const char* what)
{
    if (rc != DECIDE_OK)
    {
        throw DecideError(what);
    }
}

class Engine
{
public:
    explicit Engine(const std::string& dir)
    {
        decide_options_t options;
        decide_options_init(&options);
        options.jvm_options = std::getenv("DECIDE_JVM_OPTIONS");
        check(decide_open(dir.c_str(), &options, &engine_), "decide_open");
    }

    ~Engine()
    {
        decide_close(engine_);
    }

    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    int32_t handle(const std::string& name) const
    {
        int32_t h = -1;
        check(decide_handle(engine_, name.c_str(), &h), "decide_handle");
        return h;
    }

    int32_t width(const int32_t handle, const int32_t kind) const
    {
        int32_t w = 0;
        check(decide_input_width(engine_, handle, kind, &w), "decide_input_width");
        return w;
    }

    double predict(const int32_t handle, const std::vector<double>& row) const
    {
        double out = 0;
        check(decide_predict(engine_, handle, row.data(), static_cast<int32_t>(row.size()), &out, 1, nullptr),
            "decide_predict");
        return out;
    }

    int32_t quota(const int32_t handle, const std::vector<double>& values) const
    {
        int32_t k = -1;
        check(decide_quota(engine_, handle, values.data(), static_cast<int32_t>(values.size()), &k, nullptr),
            "decide_quota");
        return k;
    }

    int32_t rank(const std::vector<double>& batch, const std::vector<double>& scalars, const int32_t k,
        std::vector<int32_t>& out) const
    {
        decide_result_t result{};
        check(decide_rank(engine_, batch.data(), static_cast<int32_t>(batch.size() * sizeof(double)),
            scalars.data(), static_cast<int32_t>(scalars.size()), k, out.data(), static_cast<int32_t>(out.size()),
            &result), "decide_rank");
        return result.count;
    }

private:
    decide_engine_t* engine_ = nullptr;
};
}

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        std::fprintf(stderr, "usage: example_cpp POLICY_DIR [AUCTIONS]\n");
        return 64;
    }
    const int auctions = argc > 2 ? std::atoi(argv[2]) : 2000;
    constexpr int candidates = 20;
    constexpr int quality = 2;
    constexpr int slots = 3;
    try
    {
        Engine engine(argv[1]);
        const int32_t ctr = engine.handle("ctr");
        const int32_t quota = engine.handle("quota");
        const int32_t features = engine.width(ctr, DECIDE_KIND_PREDICT);
        const int32_t options = engine.width(quota, DECIDE_KIND_QUOTA);

        std::mt19937_64 random(7);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        std::vector<double> row(static_cast<size_t>(features));
        std::vector<double> values(static_cast<size_t>(options));
        // Batch layout of decide.h: int32 N, int32 Q in the first 8 bytes, then N records (eCPM, pQuality[Q]).
        std::vector<double> batch(1 + candidates * (1 + quality));
        const int32_t header[2] = {candidates, quality};
        std::memcpy(batch.data(), header, sizeof(header));
        std::vector<double> scalars(quality);
        std::vector<int32_t> winners(slots);
        std::vector<int64_t> latencies;
        latencies.reserve(static_cast<size_t>(auctions));
        long filled = 0;
        long quota_sum = 0;
        for (int a = 0; a < auctions; a++)
        {
            const auto start = std::chrono::steady_clock::now();
            for (int c = 0; c < candidates; c++)
            {
                for (auto& f : row)
                {
                    f = unit(random) * 4 - 2;
                }
                const double rate = engine.predict(ctr, row);
                const double bid = 1.0 + 9.0 * unit(random);
                double* record = &batch[static_cast<size_t>(1 + c * (1 + quality))];
                record[0] = bid * rate;
                for (int q = 0; q < quality; q++)
                {
                    record[1 + q] = 0.1 * unit(random);
                }
            }
            for (auto& s : scalars)
            {
                s = 5.0 * unit(random);
            }
            const int32_t won = engine.rank(batch, scalars, slots, winners);
            for (auto& v : values)
            {
                v = 3.0 * unit(random);
            }
            const int32_t k = engine.quota(quota, values);
            latencies.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::steady_clock::now() - start).count());
            filled += won;
            quota_sum += k;
            if (a < 3)
            {
                std::printf("auction %d: winners", a);
                for (int i = 0; i < won; i++)
                {
                    std::printf(" %d", winners[static_cast<size_t>(i)]);
                }
                std::printf(", creative quota k* = %d\n", k);
            }
        }
        std::sort(latencies.begin(), latencies.end());
        const auto at = [&](const double p) { return latencies[static_cast<size_t>(p * (latencies.size() - 1))]; };
        std::printf("auctions: %d, slots filled: %ld, mean k*: %.3f\n", auctions, filled,
            static_cast<double>(quota_sum) / auctions);
        std::printf("per auction (%d predicts + rank + quota): p50 %lld ns, p99 %lld ns\n", candidates,
            static_cast<long long>(at(0.5)), static_cast<long long>(at(0.99)));
    }
    catch (const DecideError& e)
    {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
