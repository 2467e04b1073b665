// Note look-up over the raw notes tree, level by level as git's notes.c loads it: the entries
// named by the commit's next two hex digits (fan-out directories) or by all the rest (notes),
// in either case, in tree order.
#include "git/notes_tree.h"

#include "git/pack_reader.h"

#include <algorithm>
#include <cstring>

namespace provenant::git {

namespace {

using OdbObject = std::unique_ptr<git_odb_object, Deleter<git_odb_object_free>>;

constexpr uint32_t kTypeMask = 0170000, kDirectory = 0040000, kRegular = 0100000;

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// The bytes `name` spells in hex digits of either case (git's hex_to_bytes) into `out`
/// (name.size() / 2 of them); false when it is not all hex digits.
bool hex_bytes(std::string_view name, unsigned char* out) {
    for (size_t k = 0; k + 1 < name.size(); k += 2) {
        const int hi = hex_digit(name[k]), lo = hex_digit(name[k + 1]);
        if (hi < 0 || lo < 0) return false;
        out[k / 2] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return true;
}

/// Whether `name` spells `hex` (lowercase digits) in digits of either case.
bool same_digits(std::string_view name, std::string_view hex) {
    if (name.size() != hex.size()) return false;
    for (size_t k = 0; k < name.size(); ++k) {
        const char c = name[k] >= 'A' && name[k] <= 'F' ? char(name[k] - 'A' + 'a') : name[k];
        if (c != hex[k]) return false;
    }
    return true;
}

/// Whether an entry of a level with `rest` digits left may hold the note of `rest`: a note
/// named by all of it, or a fan-out directory named by its next two (git's load_subtree tells
/// them apart by the name's length, the full length first).
bool may_hold(std::string_view name, std::string_view rest) {
    return same_digits(name, rest) || (name.size() == 2 && same_digits(name, rest.substr(0, 2)));
}

Result<std::string_view> read_tree(git_odb* odb, const git_oid& tree, OdbObject& raw) {
    if (int rc = git_odb_read(Setter(raw), odb, &tree); rc != 0)
        return git_error(rc, "reading the notes tree " + to_hex(tree));
    if (git_odb_object_type(raw.get()) != GIT_OBJECT_TREE)
        return Error(ErrorKind::invalid_input, to_hex(tree) + " in the notes is not a tree");
    return std::string_view(static_cast<const char*>(git_odb_object_data(raw.get())),
                            git_odb_object_size(raw.get()));
}

} // namespace

NotesTree::NotesTree(const Repo& repo, std::string_view ref) {
    const std::string name(ref);
    git_oid tip;
    int rc = git_reference_name_to_id(&tip, repo.get(), name.c_str());
    if (rc == GIT_ENOTFOUND) return; // no notes yet
    if (rc != 0) {
        error_ = git_error(rc, "resolving " + name);
        return;
    }
    Commit commit;
    if (rc = git_commit_lookup(Setter(commit), repo.get(), &tip); rc != 0) {
        error_ = git_error(rc, "reading the commit of " + name);
        return;
    }
    if (rc = git_repository_odb(Setter(odb_), repo.get()); rc != 0) {
        error_ = git_error(rc, "opening the object database");
        return;
    }
    const git_oid tree = *git_commit_tree_id(commit.get());
    OdbObject raw;
    auto data = read_tree(odb_.get(), tree, raw);
    if (!data) {
        error_ = data.error();
        return;
    }
    root_.assign(data->data(), data->size());
    RawTreeReader reader(root_, tree);
    RawTreeEntry e;
    for (uint32_t pos = 0;; ++pos) {
        auto more = reader.next(e);
        if (!more) {
            error_ = Error(ErrorKind::invalid_input, "malformed notes tree " + to_hex(tree));
            return;
        }
        if (!*more) break;
        Indexed at{{}, pos, e};
        if (e.name.size() == 2 && hex_bytes(e.name, at.key.id))
            fanout_[at.key.id[0]].push_back(at);
        else if (e.name.size() == 2 * GIT_OID_RAWSZ && hex_bytes(e.name, at.key.id))
            flat_.push_back(at);
    }
    std::sort(flat_.begin(), flat_.end(), [](const Indexed& a, const Indexed& b) {
        const int c = std::memcmp(a.key.id, b.key.id, GIT_OID_RAWSZ);
        return c != 0 ? c < 0 : a.pos < b.pos;
    });
    tree_ = tree;
}

Status NotesTree::collect(const std::vector<RawTreeEntry>& level, std::string_view rest,
                          std::vector<git_oid>& out, size_t& parts) const {
    for (const RawTreeEntry& e : level) {
        // git's load_subtree: a name of the full remaining length is a note if it is a regular
        // file; a two-digit name a fan-out level if it is a directory; anything else no note.
        const bool note = e.name.size() == rest.size();
        if (note ? (e.mode & kTypeMask) != kRegular : (e.mode & kTypeMask) != kDirectory) continue;
        if (!(note ? same_digits(e.name, rest) : same_digits(e.name, rest.substr(0, 2)))) continue;
        if (++parts > kMaxNoteParts)
            return Error(ErrorKind::invalid_input, "the notes tree names one note in over " +
                                                       std::to_string(kMaxNoteParts) + " places");
        if (note) {
            out.push_back(e.oid());
            continue;
        }
        const git_oid sub = e.oid();
        auto raw = object(sub, "reading the notes tree " + to_hex(sub));
        if (!raw) return raw.error();
        if (raw->type != GIT_OBJECT_TREE)
            return Error(ErrorKind::invalid_input, to_hex(sub) + " in the notes is not a tree");
        const std::string_view below = rest.substr(2);
        std::vector<RawTreeEntry> next;
        RawTreeReader reader(data_of(*raw), sub);
        RawTreeEntry s;
        while (true) {
            auto more = reader.next(s);
            if (!more) return more.error();
            if (!*more) break;
            if (may_hold(s.name, below)) next.push_back(s);
        }
        if (auto st = collect(next, below, out, parts); !st) return st;
    }
    return {};
}

RawObject NotesTree::from_packs(const git_oid& id) const {
    if (packs_ == nullptr) return {};
    // What the packs cannot read is left to libgit2, which decides (errors included).
    auto got = packs_->read(id);
    return got && *got ? std::move(**got) : RawObject{};
}

Result<RawObject> NotesTree::object(const git_oid& id, const std::string& what) const {
    if (RawObject packed = from_packs(id)) return packed;
    OdbObject raw;
    if (int rc = git_odb_read(Setter(raw), odb_.get(), &id); rc != 0) return git_error(rc, what);
    RawObject out;
    out.type = git_odb_object_type(raw.get());
    out.data = std::make_shared<const std::string>(
        static_cast<const char*>(git_odb_object_data(raw.get())), git_odb_object_size(raw.get()));
    return out;
}

Result<std::optional<std::string>> NotesTree::read(const git_oid& commit) const {
    if (error_) return *error_;
    if (!tree_) return std::optional<std::string>();
    const std::string hex = to_hex(commit);
    // The root's candidates in tree order: its fan-out directories and flat notes merged.
    std::vector<RawTreeEntry> level;
    const auto& dirs = fanout_[commit.id[0]];
    auto [lo, hi] = std::equal_range(flat_.begin(), flat_.end(), Indexed{commit, 0, {}},
                                     [](const Indexed& a, const Indexed& b) {
                                         return std::memcmp(a.key.id, b.key.id, GIT_OID_RAWSZ) < 0;
                                     });
    auto d = dirs.begin();
    for (auto f = lo; d != dirs.end() || f != hi;) {
        const bool dir_first = f == hi || (d != dirs.end() && d->pos < f->pos);
        level.push_back(dir_first ? (d++)->entry : (f++)->entry);
    }
    std::vector<git_oid> blobs;
    size_t parts = 0;
    if (auto st = collect(level, hex, blobs, parts); !st)
        return st.error().context("reading the note of " + hex);
    if (blobs.empty()) return std::optional<std::string>();
    // git's combine_notes_concatenate, applied as git inserts each note found: the same blob as
    // the current value adds nothing; an empty (or non-blob) note adds nothing; an empty
    // current value is replaced; otherwise one blank line between the texts (the current
    // one's final newline counted in it), and the joined text is the new value.
    std::string text;
    git_oid current = blobs.front();
    git_object_t first_type = GIT_OBJECT_INVALID;
    for (size_t k = 0; k < blobs.size(); ++k) {
        const git_oid& blob = blobs[k];
        if (k > 0 && git_oid_equal(&blob, &current)) continue;
        // From the packs when they hold it; otherwise libgit2's header first, so that a note
        // over the bound is never read.
        const RawObject packed = from_packs(blob);
        size_t size = packed ? packed.data->size() : 0;
        git_object_t type = packed.type;
        if (!packed)
            if (int rc = git_odb_read_header(&size, &type, odb_.get(), &blob); rc != 0)
                return git_error(rc, "reading the note of " + hex);
        if (k == 0) first_type = type;
        if (type != GIT_OBJECT_BLOB || size == 0) continue; // adds nothing
        if (size > kMaxNoteText || text.size() + 2 + size > kMaxNoteText)
            return Error(ErrorKind::invalid_input, "the note of " + hex + " is larger than " +
                                                       std::to_string(kMaxNoteText) + " bytes");
        OdbObject raw;
        if (!packed)
            if (int rc = git_odb_read(Setter(raw), odb_.get(), &blob); rc != 0)
                return git_error(rc, "reading the note of " + hex);
        const std::string_view more =
            packed ? data_of(packed)
                   : std::string_view(static_cast<const char*>(git_odb_object_data(raw.get())),
                                      git_odb_object_size(raw.get()));
        if (text.empty()) { // the first text, or one replacing an empty or non-blob value
            text.assign(more);
            current = blob;
            continue;
        }
        if (text.back() == '\n') text.pop_back();
        text += "\n\n";
        text += more;
        // git writes the joined text as a blob of its own: its id is the new value.
        if (k + 1 < blobs.size() &&
            git_odb_hash(&current, text.data(), text.size(), GIT_OBJECT_BLOB) != 0)
            return git_error("hashing the note of " + hex);
    }
    // No text: the value is still the first note, which must be a blob (an empty one).
    if (text.empty() && first_type != GIT_OBJECT_BLOB)
        return Error(ErrorKind::invalid_input, "the note of " + hex + " is not a blob");
    // git_note_message's text ends at the first NUL: the same text either way.
    text.resize(::strnlen(text.data(), text.size()));
    return std::optional<std::string>(std::move(text));
}

} // namespace provenant::git
