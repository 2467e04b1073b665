// The model price table: parsing, user overrides, model matching and cost estimates.
#include "protocol/prices.h"

#include "support/json_text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <spdlog/spdlog.h>
#include <sstream>

namespace provenant {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view kSchema = "provenant-prices/1";

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

double rate(const json& m, const char* field, const std::string& model) {
    if (!m.contains(field)) return 0;
    const json& v = m.at(field);
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0)
        throw std::invalid_argument("models." + model + "." + field +
                                    ": expected a non-negative number");
    return v.get<double>();
}

bool is_separator(char c) {
    return c == '-' || c == '@' || c == ':' || c == '/' || c == '[';
}

} // namespace

double cost_of(const ModelPrice& p, const TokenUsage& u) {
    // Reasoning tokens are part of output (origin.h), so they are not added again.
    double micro = p.input * static_cast<double>(u.input) +
                   p.output * static_cast<double>(u.output) +
                   p.cache_read * static_cast<double>(u.cache_read) +
                   p.cache_write_5m * static_cast<double>(u.cache_write_5m) +
                   p.cache_write_1h * static_cast<double>(u.cache_write_1h);
    return micro / 1e6;
}

Result<PriceTable> PriceTable::from_json(const json& j) {
    try {
        if (!j.is_object())
            return make_error(ErrorKind::invalid_input, "price table: expected a JSON object");
        if (j.contains("schema") && j.at("schema") != kSchema)
            return make_error(ErrorKind::invalid_input,
                              "price table: unsupported schema " + json_text_lossy(j.at("schema")) +
                                  " (expected \"" + std::string(kSchema) + "\")");
        PriceTable t;
        t.as_of_ = j.value("as_of", std::string());
        if (j.contains("label") && j.at("label").is_string())
            t.label_ = j.at("label").get<std::string>();
        if (!j.contains("models") || !j.at("models").is_object())
            return make_error(ErrorKind::invalid_input,
                              "price table: \"models\" must be an object of model ids");
        for (const auto& [id, m] : j.at("models").items()) {
            if (id.empty() || id.size() > 200)
                return make_error(ErrorKind::invalid_input,
                                  "price table: models: invalid model id \"" + id + "\"");
            if (!m.is_object())
                return make_error(ErrorKind::invalid_input,
                                  "price table: models." + id + ": expected an object");
            ModelPrice p;
            p.vendor = m.value("vendor", std::string());
            p.input = rate(m, "input", id);
            p.output = rate(m, "output", id);
            p.cache_read = rate(m, "cache_read", id);
            p.cache_write_5m = rate(m, "cache_write_5m", id);
            p.cache_write_1h = rate(m, "cache_write_1h", id);
            t.models_[lower(id)] = p;
        }
        return t;
    } catch (const std::exception& e) {
        return make_error(ErrorKind::invalid_input, std::string("price table: ") + e.what());
    }
}

const PriceTable& PriceTable::builtin() {
    static const PriceTable table = [] {
        json j = json::parse(builtin_prices_json(), nullptr, false);
        auto t = from_json(j);
        if (!t) { // the build embeds a checked file: this would be a packaging bug
            spdlog::error("embedded price table: {}", t.error().message);
            return PriceTable();
        }
        return std::move(*t);
    }();
    return table;
}

fs::path PriceTable::user_file() {
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x)
        return fs::path(x) / "provenant" / "prices.json";
    if (const char* h = std::getenv("HOME"); h && *h)
        return fs::path(h) / ".config" / "provenant" / "prices.json";
    return {};
}

Result<PriceTable> PriceTable::load(const fs::path& override_path) {
    PriceTable t = builtin();
    fs::path file = override_path;
    if (file.empty()) {
        file = user_file();
        std::error_code ec;
        if (file.empty() || !fs::exists(file, ec)) return t;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return make_error(ErrorKind::io, "reading price file " + file.string() + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    json j = json::parse(ss.str(), nullptr, false);
    if (j.is_discarded())
        return make_error(ErrorKind::invalid_input,
                          "price file " + file.string() + ": not valid JSON");
    auto user = from_json(j);
    if (!user) return user.error().context("price file " + file.string());
    t.overlay(*user);
    return t;
}

void PriceTable::overlay(const PriceTable& other) {
    for (const auto& [id, p] : other.models_)
        models_[id] = p;
    if (!other.as_of_.empty()) as_of_ = other.as_of_;
    label_ = other.label_;
}

std::optional<ModelPrice> PriceTable::find(std::string_view model) const {
    if (model.empty()) return std::nullopt;
    std::string m = lower(model);
    if (auto it = models_.find(m); it != models_.end()) return it->second;
    // Longest prefix ending at a separator: try each separator position from the right.
    for (size_t i = m.size(); i-- > 1;) {
        if (!is_separator(m[i])) continue;
        if (auto it = models_.find(m.substr(0, i)); it != models_.end()) return it->second;
    }
    return std::nullopt;
}

std::optional<double> PriceTable::cost(std::string_view model, const TokenUsage& usage) const {
    auto p = find(model);
    if (!p) return std::nullopt;
    return cost_of(*p, usage);
}

} // namespace provenant
