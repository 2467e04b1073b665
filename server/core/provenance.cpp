// OriginTable, Snapshot and its JSON form, and the evidence order used by every merge.
#include "core/provenance.h"

#include <stdexcept>

namespace provenant {

OriginTable::OriginTable() {
    intern(OriginRecord{OriginClass::Unknown, {}, {}, {}, {}, {}});
    intern(OriginRecord{OriginClass::Human, {}, {}, {}, {}, {}});
    intern(OriginRecord{OriginClass::Paste, {}, {}, {}, {}, {}});
}

uint32_t OriginTable::intern(const OriginRecord& record) {
    std::string key = record.key();
    auto it = ids_.find(key);
    if (it != ids_.end()) return it->second;
    auto id = static_cast<uint32_t>(records_.size());
    records_.push_back(record);
    ids_.emplace(std::move(key), id);
    return id;
}

Snapshot Snapshot::uniform(std::string text, const OriginRecord& record, Evidence evidence,
                           bool fresh) {
    Snapshot s;
    uint32_t id = s.origins.intern(record);
    s.push_run(static_cast<uint32_t>(text.size()), Attr{id, evidence, fresh});
    s.text = std::move(text);
    return s;
}

void Snapshot::push_run(uint32_t length, Attr attr) {
    if (length == 0) return;
    if (!runs.empty() && runs.back().attr == attr)
        runs.back().length += length;
    else
        runs.push_back(Run{length, attr});
}

Status Snapshot::validate() const {
    uint64_t total = 0;
    for (size_t i = 0; i < runs.size(); ++i) {
        const Run& r = runs[i];
        if (r.length == 0)
            return make_error(ErrorKind::invalid_input, "run " + std::to_string(i) + " is empty");
        if (r.attr.origin >= origins.size())
            return make_error(ErrorKind::invalid_input, "run " + std::to_string(i) +
                                                            " names origin " +
                                                            std::to_string(r.attr.origin) + " of " +
                                                            std::to_string(origins.size()));
        if (static_cast<uint8_t>(r.attr.evidence) > 2)
            return make_error(ErrorKind::invalid_input,
                              "run " + std::to_string(i) + " has an invalid evidence level");
        total += r.length;
    }
    if (total != text.size())
        return make_error(ErrorKind::invalid_input, "runs cover " + std::to_string(total) +
                                                        " bytes of a " +
                                                        std::to_string(text.size()) + "-byte text");
    return {};
}

Snapshot prune_origins(Snapshot s) {
    std::vector<uint32_t> remap(s.origins.size(), UINT32_MAX);
    remap[kUnknownOrigin] = kUnknownOrigin;
    remap[kHumanOrigin] = kHumanOrigin;
    remap[kPasteOrigin] = kPasteOrigin;
    size_t used = 3;
    for (const Run& r : s.runs)
        if (r.attr.origin < remap.size() && remap[r.attr.origin] == UINT32_MAX) {
            remap[r.attr.origin] = 0; // marked; numbered below, in table order
            ++used;
        }
    if (used == s.origins.size()) return s;
    OriginTable table;
    for (uint32_t id = 3; id < remap.size(); ++id)
        if (remap[id] != UINT32_MAX) remap[id] = table.intern(s.origins.at(id));
    for (Run& r : s.runs)
        if (r.attr.origin < remap.size()) r.attr.origin = remap[r.attr.origin];
    s.origins = std::move(table);
    return s;
}

std::vector<Attr> Snapshot::expand() const {
    std::vector<Attr> out;
    out.reserve(text.size());
    for (const Run& r : runs)
        out.insert(out.end(), r.length, r.attr);
    return out;
}

nlohmann::json snapshot_to_json(const Snapshot& s) {
    nlohmann::json runs = nlohmann::json::array();
    bool any_seen = false;
    for (const Run& r : s.runs) {
        runs.push_back(
            {r.length, r.attr.origin, static_cast<int>(r.attr.evidence), r.attr.fresh ? 1 : 0});
        any_seen = any_seen || r.attr.seen != 0;
    }
    nlohmann::json j = {
        {"text", s.text}, {"runs", std::move(runs)}, {"origins", s.origins.records()}};
    if (any_seen) {
        // A parallel array rather than a fifth run field: an older provenant ignores it
        // instead of taking the entry for corrupt.
        nlohmann::json seen = nlohmann::json::array();
        for (const Run& r : s.runs)
            seen.push_back(r.attr.seen);
        j["seen"] = std::move(seen);
    }
    return j;
}

Result<Snapshot> snapshot_from_json(const nlohmann::json& j) {
    try {
        if (!j.is_object())
            return make_error(ErrorKind::invalid_input, "snapshot: expected an object");
        Snapshot s;
        s.text = j.at("text").get<std::string>();
        const auto& origins = j.at("origins");
        if (!origins.is_array() || origins.size() < 3)
            return make_error(ErrorKind::invalid_input,
                              "snapshot.origins: expected an array of at least 3 records");
        // Ids must be preserved: the first three are fixed, the rest are appended in order.
        for (size_t i = 3; i < origins.size(); ++i) {
            OriginRecord rec = origins[i].get<OriginRecord>();
            if (s.origins.intern(rec) != i)
                return make_error(ErrorKind::invalid_input,
                                  "snapshot.origins[" + std::to_string(i) + "]: duplicate record");
        }
        const auto& runs = j.at("runs");
        if (!runs.is_array())
            return make_error(ErrorKind::invalid_input, "snapshot.runs: expected an array");
        const nlohmann::json* seen = nullptr;
        if (auto it = j.find("seen"); it != j.end()) {
            if (!it->is_array() || it->size() != runs.size())
                return make_error(ErrorKind::invalid_input,
                                  "snapshot.seen: expected an array with one entry per run");
            seen = &*it;
        }
        for (size_t i = 0; i < runs.size(); ++i) {
            const auto& r = runs[i];
            if (!r.is_array() || r.size() != 4)
                return make_error(ErrorKind::invalid_input,
                                  "snapshot.runs[" + std::to_string(i) +
                                      "]: expected [len, origin, evidence, fresh]");
            // Each field must be a non-negative integer before it is read as one: get<> of a
            // float out of the type's range is undefined (fuzz_journal_entry found a run
            // length of 3.3e57).
            for (const auto& field : r)
                if (!field.is_number_integer() ||
                    (!field.is_number_unsigned() && field.get<int64_t>() < 0))
                    return make_error(ErrorKind::invalid_input,
                                      "snapshot.runs[" + std::to_string(i) +
                                          "]: expected non-negative integers");
            const uint64_t len = r[0].get<uint64_t>();
            const uint64_t origin = r[1].get<uint64_t>();
            const uint64_t ev = r[2].get<uint64_t>();
            const uint64_t fresh = r[3].get<uint64_t>();
            if (len == 0 || len > UINT32_MAX || origin >= s.origins.size() || ev > 2 || fresh > 1)
                return make_error(ErrorKind::invalid_input,
                                  "snapshot.runs[" + std::to_string(i) + "]: value out of range");
            uint64_t at = 0;
            if (seen) {
                const auto& v = (*seen)[i];
                if (!v.is_number_unsigned() || v.get<uint64_t>() > UINT32_MAX)
                    return make_error(ErrorKind::invalid_input,
                                      "snapshot.seen[" + std::to_string(i) +
                                          "]: expected seconds since the epoch");
                at = v.get<uint64_t>();
            }
            s.push_run(static_cast<uint32_t>(len),
                       Attr{static_cast<uint32_t>(origin), static_cast<Evidence>(ev), fresh == 1,
                            static_cast<uint32_t>(at)});
        }
        if (Status st = s.validate(); !st) return st.error().context("snapshot");
        return s;
    } catch (const std::exception& e) {
        return make_error(ErrorKind::invalid_input, std::string("snapshot: ") + e.what());
    }
}

namespace {
int class_rank(OriginClass c) {
    switch (c) {
    case OriginClass::Ai:
        return 3;
    case OriginClass::Human:
        return 2;
    case OriginClass::Paste:
        return 1;
    case OriginClass::Unknown:
        return 0;
    }
    return 0;
}
} // namespace

bool stronger(const Attr& a, const OriginRecord& ra, const Attr& b, const OriginRecord& rb) {
    if (a.evidence != b.evidence) return a.evidence > b.evidence;
    if (ra.cls != rb.cls) return class_rank(ra.cls) > class_rank(rb.cls);
    return ra.key() < rb.key();
}

} // namespace provenant
