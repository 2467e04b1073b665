// A text's attribution line by line, in the one JSON shape of status --json and
// provenant/documentProvenance.
#include "protocol/line_attribution.h"

namespace provenant {

void LineAttribution::add_line(std::string_view cls) {
    lines_.emplace_back(cls);
    line_origins_.emplace_back(std::nullopt);
}

void LineAttribution::add_line(std::string_view cls, uint32_t key, const OriginRecord& record) {
    auto [it, added] = index_.try_emplace(key, static_cast<uint32_t>(origins_.size()));
    if (added) origins_.push_back(record);
    lines_.emplace_back(cls);
    line_origins_.emplace_back(it->second);
}

void add_to_json(nlohmann::json& j, const LineAttribution& a) {
    nlohmann::json line_origins = nlohmann::json::array();
    for (const std::optional<uint32_t>& o : a.line_origins())
        line_origins.push_back(o ? nlohmann::json(*o) : nlohmann::json(nullptr));
    const CharCounts& c = a.chars();
    j["lines"] = a.lines();
    j["lineOrigins"] = std::move(line_origins);
    j["origins"] = a.origins().empty() ? nlohmann::json::array() : nlohmann::json(a.origins());
    j["chars"] = {{"ai", c.ai}, {"human", c.human}, {"paste", c.paste}, {"unknown", c.unknown}};
}

} // namespace provenant
