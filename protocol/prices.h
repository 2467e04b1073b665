// The model price table (USD per million tokens) and list-price cost estimates.
#pragma once

#include "protocol/origin.h"
#include "support/result.h"

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace provenant {

/// List prices of one model, USD per million tokens.
struct ModelPrice {
    std::string vendor; ///< anthropic, openai, google, ...
    double input = 0;
    double output = 0;
    double cache_read = 0;
    double cache_write_5m = 0;
    double cache_write_1h = 0;
};

/// A price table: the one shipped in protocol/prices.json (embedded at build time),
/// optionally overlaid by a user file of the same format. Costs are list-price estimates
/// (`label()`). Immutable once built; any thread may read it.
class PriceTable {
public:
    /// The embedded table (parsed once; thread-safe).
    static const PriceTable& builtin();
    /// Parses a table (schema provenant-prices/1). Errors name the bad field.
    static Result<PriceTable> from_json(const nlohmann::json& j);
    /// The builtin table overlaid by a user file: `override_path` if given (an error if it
    /// cannot be read), else `$XDG_CONFIG_HOME/provenant/prices.json` (or
    /// `~/.config/provenant/prices.json`) when it exists. Entries of the user file replace or
    /// add models; everything else comes from the builtin table.
    static Result<PriceTable> load(const std::filesystem::path& override_path = {});
    /// The user price file's default location ("" when neither XDG_CONFIG_HOME nor HOME is set).
    static std::filesystem::path user_file();

    /// The model's prices: an exact match, else the longest listed id that is a prefix of
    /// `model` followed by one of "-@:/[" (so dated ids use their family's price but
    /// "gpt-5.4" never falls back to "gpt-5"). Case-insensitive. nullopt when unknown.
    std::optional<ModelPrice> find(std::string_view model) const;
    /// The list-price cost of `usage` in USD, nullopt when the model is unknown.
    std::optional<double> cost(std::string_view model, const TokenUsage& usage) const;

    /// The table's own description: "list-price estimate" plus its date.
    std::string label() const { return label_ + " (" + as_of_ + ")"; }
    const std::string& as_of() const { return as_of_; }
    const std::map<std::string, ModelPrice>& models() const { return models_; }
    /// Adds or replaces every model of `other`, takes its date and label when set.
    void overlay(const PriceTable& other);

private:
    std::map<std::string, ModelPrice> models_; // keys lower-cased
    std::string as_of_;
    std::string label_ = "list-price estimate";
};

/// The USD cost of `usage` at `price`.
double cost_of(const ModelPrice& price, const TokenUsage& usage);

/// The embedded text of protocol/prices.json (generated at build time by cmake/Prices.cmake).
std::string_view builtin_prices_json();

} // namespace provenant
