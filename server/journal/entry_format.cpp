// Journal entry JSON: writing, strict validation on reading (the files are untrusted), and a
// SAX reader that stops after the path so listing never parses whole snapshots.
#include "journal/entry_format.h"

#include "core/left_lines.h"
#include "support/json_text.h"

namespace provenant {
using nlohmann::json;

namespace {
constexpr std::string_view kSchemaFamily = "provenant-journal/";
constexpr size_t kMaxWriterBytes = 256;

/// The "left" blocks, bounded as core/left_lines.h keeps them.
Result<std::vector<Snapshot>> left_from_json(const json& j) {
    if (!j.is_array() || j.size() > kLeftMaxBlocks)
        return make_error(ErrorKind::invalid_input,
                          "not an array of at most " + std::to_string(kLeftMaxBlocks) + " blocks");
    std::vector<Snapshot> out;
    size_t bytes = 0;
    for (const json& b : j) {
        auto block = snapshot_from_json(b);
        if (!block) return block.error();
        bytes += block->text.size();
        if (block->text.empty() || bytes > kLeftMaxBytes)
            return make_error(ErrorKind::invalid_input,
                              "empty, or over " + std::to_string(kLeftMaxBytes) + " bytes");
        out.push_back(std::move(block).value());
    }
    return out;
}
} // namespace

Result<std::string> journal_entry_to_text(const JournalEntry& entry) {
    // nlohmann objects are sorted maps: "path" is the first key, which entry_path_from_prefix
    // relies on to read it cheaply.
    json j = {{"schema", std::string(Journal::kSchema)},
              {"path", entry.path},
              {"updated_ms", entry.updated_ms},
              {"writer", entry.writer.substr(0, kMaxWriterBytes)},
              {"snapshot", snapshot_to_json(entry.snapshot)}};
    if (entry.saved) j["saved"] = {entry.saved->seen, entry.saved->bytes};
    if (entry.left && !entry.left->empty()) {
        json left = json::array();
        for (const Snapshot& block : *entry.left)
            left.push_back(snapshot_to_json(prune_origins(block)));
        j["left"] = std::move(left);
    }
    // Invalid UTF-8 in the text (or path): JSON cannot carry it faithfully, so an error.
    auto text = json_text(j);
    if (!text) return text.error().context("the entry cannot be stored as JSON");
    return text;
}

ParsedEntry parse_entry(std::string_view text) {
    ParsedEntry out;
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        out.error = "not valid JSON";
        return out;
    }
    if (!j.is_object()) {
        out.error = "not a JSON object";
        return out;
    }
    auto schema = j.find("schema");
    if (schema == j.end() || !schema->is_string()) {
        out.error = "no \"schema\"";
        return out;
    }
    const auto& s = schema->get_ref<const std::string&>();
    if (s != Journal::kSchema) {
        out.error = "unsupported schema \"" + s + "\"";
        if (s.rfind(kSchemaFamily, 0) == 0) out.kind = ParsedEntry::Unsupported;
        return out;
    }
    auto path = j.find("path");
    if (path == j.end() || !path->is_string()) {
        out.error = "no \"path\"";
        return out;
    }
    out.entry.path = path->get<std::string>();
    if (Status st = validate_repo_path(out.entry.path); !st) {
        out.error = st.error().message;
        return out;
    }
    auto updated = j.find("updated_ms");
    if (updated == j.end() || !updated->is_number_integer()) {
        out.error = "\"updated_ms\" is not an integer";
        return out;
    }
    out.entry.updated_ms = updated->get<long long>();
    auto writer = j.find("writer");
    if (writer == j.end() || !writer->is_string() ||
        writer->get_ref<const std::string&>().size() > kMaxWriterBytes) {
        out.error = "\"writer\" is not a short string";
        return out;
    }
    out.entry.writer = writer->get<std::string>();
    // Optional: absent in entries written before it existed (read as not known).
    if (auto saved = j.find("saved"); saved != j.end()) {
        if (!saved->is_array() || saved->size() != 2 || !(*saved)[0].is_number_unsigned() ||
            !(*saved)[1].is_number_unsigned() || (*saved)[0].get<uint64_t>() > UINT32_MAX ||
            (*saved)[1].get<uint64_t>() > Journal::kMaxEntryBytes) {
            out.error = "\"saved\" is not [seconds, bytes]";
            return out;
        }
        out.entry.saved = SavedTyping{(*saved)[0].get<uint32_t>(), (*saved)[1].get<uint64_t>()};
    }
    // Optional: absent when no lines left, and in entries written before it existed.
    if (auto left = j.find("left"); left != j.end()) {
        auto blocks = left_from_json(*left);
        if (!blocks) {
            out.error = "\"left\": " + blocks.error().message;
            return out;
        }
        out.entry.left = std::move(blocks).value();
    }
    auto snapshot = j.find("snapshot");
    if (snapshot == j.end()) {
        out.error = "no \"snapshot\"";
        return out;
    }
    auto snap = snapshot_from_json(*snapshot);
    if (!snap) {
        out.error = snap.error().message;
        return out;
    }
    out.entry.snapshot = std::move(snap).value();
    out.kind = ParsedEntry::Ok;
    return out;
}

Result<JournalEntry> journal_entry_from_text(std::string_view text) {
    ParsedEntry p = parse_entry(text);
    if (p.kind != ParsedEntry::Ok)
        return make_error(ErrorKind::invalid_input, "journal entry: " + p.error);
    return std::move(p.entry);
}

namespace {
/// Stops the parse as soon as the top-level "path" string is seen.
class PathFinder : public nlohmann::json_sax<json> {
public:
    std::optional<std::string> path;

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool string(string_t& s) override {
        if (want_) {
            path = s;
            return false; // done
        }
        return true;
    }
    bool start_object(std::size_t) override {
        if (want_) return false;
        ++depth_;
        return true;
    }
    bool key(string_t& k) override {
        want_ = depth_ == 1 && k == "path";
        return true;
    }
    bool end_object() override {
        --depth_;
        return depth_ > 0; // the top-level object ended without a path
    }
    bool start_array(std::size_t) override {
        if (want_ || depth_ == 0) return false;
        ++depth_;
        return true;
    }
    bool end_array() override {
        --depth_;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

private:
    bool value() { return !want_; } // a non-string path: give up
    int depth_ = 0;
    bool want_ = false;
};
} // namespace

std::optional<std::string> entry_path_from_prefix(std::string_view prefix) {
    PathFinder finder;
    try {
        json::sax_parse(prefix.begin(), prefix.end(), &finder, json::input_format_t::json,
                        /*strict=*/false);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return finder.path;
}

} // namespace provenant
