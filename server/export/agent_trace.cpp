// Agent Trace records from notes: line ranges per contributor, origin metadata beside them.
#include "export/agent_trace.h"

#include "export/rows.h"
#include "git/raii.h"
#include "protocol/model_vendor.h"

#include <algorithm>
#include <cstring>
#include <git2.h>

namespace provenant::exporting {

namespace {

/// Sorted line numbers as inclusive ranges.
nlohmann::json ranges_of(const std::vector<uint32_t>& lines, const nlohmann::json& contributor) {
    nlohmann::json out = nlohmann::json::array();
    for (size_t i = 0; i < lines.size();) {
        size_t j = i;
        while (j + 1 < lines.size() && lines[j + 1] == lines[j] + 1)
            ++j;
        nlohmann::json r = {{"start_line", lines[i]}, {"end_line", lines[j]}};
        if (!contributor.is_null()) r["contributor"] = contributor;
        out.push_back(std::move(r));
        i = j + 1;
    }
    return out;
}

/// `model_id` is `vendor/model` (the RFC's form, after models.dev) where the vendor is known
/// (protocol/model_vendor.h), else the model as recorded.
nlohmann::json contributor(std::string_view type, const OriginRecord& rec) {
    nlohmann::json c = {{"type", type}};
    const std::string model_id = vendor_model_id(rec.tool, rec.model);
    // The schema bounds model_id at 250 characters; a longer id is left out, not cut.
    if (!model_id.empty() && model_id.size() <= 250) c["model_id"] = model_id;
    return c;
}

bool contains(const std::vector<uint32_t>& sorted, uint32_t line) {
    return std::binary_search(sorted.begin(), sorted.end(), line);
}

} // namespace

std::string uuid_of(const std::string& text) {
    git_oid id;
    git_odb_hash(&id, text.data(), text.size(), GIT_OBJECT_BLOB);
    unsigned char b[16];
    std::memcpy(b, id.id, 16);
    b[6] = static_cast<unsigned char>(0x80 | (b[6] & 0x0f)); // version 8
    b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3f)); // RFC 9562 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += kHex[b[i] >> 4];
        out += kHex[b[i] & 15];
    }
    return out;
}

nlohmann::json agent_trace_record(const Note& note, const std::string& commit, int64_t commit_time,
                                  const std::string& path, const NoteFile& file,
                                  std::string_view note_kind) {
    nlohmann::json conversations = nlohmann::json::array();
    nlohmann::json origins = nlohmann::json::array();
    for (const auto& [id, lines] : file.by_origin) {
        auto it = note.origins.find(id);
        const OriginRecord rec = it != note.origins.end() ? it->second.record : OriginRecord{};
        std::vector<uint32_t> ai, edited;
        for (uint32_t l : lines)
            (contains(file.ai_modified, l) ? edited : ai).push_back(l);
        nlohmann::json conv;
        conv["contributor"] = contributor(ai.empty() ? "mixed" : "ai", rec);
        nlohmann::json ranges = ranges_of(ai, nullptr);
        for (auto& r : ranges_of(edited, contributor("mixed", rec)))
            ranges.push_back(std::move(r));
        std::sort(ranges.begin(), ranges.end(), [](const auto& a, const auto& b) {
            return a["start_line"].template get<uint32_t>() <
                   b["start_line"].template get<uint32_t>();
        });
        conv["ranges"] = std::move(ranges);
        conversations.push_back(std::move(conv));
        nlohmann::json o = {{"conversation", conversations.size() - 1}, {"origin", id}};
        if (!rec.tool.empty()) o["tool"] = rec.tool;
        if (!rec.kind.empty()) o["kind"] = rec.kind;
        if (!rec.model.empty()) o["model"] = rec.model;
        if (!rec.session.empty()) o["session"] = rec.session;
        o["ai_lines"] = ai.size();
        o["ai_modified_lines"] = edited.size();
        origins.push_back(std::move(o));
    }
    // AI lines no origin claims (a note may list a class without by_origin): ai, no model.
    std::vector<uint32_t> orphan_ai, orphan_edited;
    for (LineClass c : {LineClass::Ai, LineClass::AiModified})
        for (uint32_t l : file.lines(c)) {
            bool claimed = false;
            for (const auto& [id, lines] : file.by_origin)
                claimed = claimed || contains(lines, l);
            if (!claimed) (c == LineClass::Ai ? orphan_ai : orphan_edited).push_back(l);
        }
    if (!orphan_ai.empty())
        conversations.push_back({{"contributor", contributor("ai", OriginRecord{})},
                                 {"ranges", ranges_of(orphan_ai, nullptr)}});
    if (!orphan_edited.empty())
        conversations.push_back({{"contributor", contributor("mixed", OriginRecord{})},
                                 {"ranges", ranges_of(orphan_edited, nullptr)}});
    if (!file.human.empty())
        conversations.push_back({{"contributor", contributor("human", OriginRecord{})},
                                 {"ranges", ranges_of(file.human, nullptr)}});
    std::vector<uint32_t> unknown = file.unknown;
    unknown.insert(unknown.end(), file.paste.begin(), file.paste.end());
    std::sort(unknown.begin(), unknown.end());
    if (!unknown.empty())
        conversations.push_back({{"contributor", contributor("unknown", OriginRecord{})},
                                 {"ranges", ranges_of(unknown, nullptr)}});

    nlohmann::json lines = {{"ai", file.ai.size()},
                            {"ai_modified", file.ai_modified.size()},
                            {"human", file.human.size()},
                            {"paste", file.paste.size()},
                            {"unknown", file.unknown.size()}};
    nlohmann::json meta = {
        {"note", note_kind}, {"blob", file.blob}, {"lines", lines}, {"origins", origins}};
    if (!file.skipped.empty()) meta["skipped"] = file.skipped;
    return {{"version", kAgentTraceVersion},
            {"id", uuid_of(commit + '\0' + path)},
            {"timestamp", iso_utc(commit_time)},
            {"vcs", {{"type", "git"}, {"revision", commit}}},
            {"tool", {{"name", "provenant"}, {"version", PROVENANT_VERSION}}},
            {"files", {{{"path", path}, {"conversations", conversations}}}},
            {"metadata", {{"provenant", meta}}}};
}

} // namespace provenant::exporting
