// Unit tests: merging two notes for one commit, post-rewrite input, line mapping.
#include "git/replay.h"
#include "git/rewrite.h"
#include "git/sync_note_merge.h"
#include "protocol/note.h"

#include <cctype>
#include <doctest/doctest.h>
#include <sstream>
#include <string_view>

namespace provenant::git {
namespace {

NoteOrigin ai_origin(const std::string& tool, uint64_t input_tokens) {
    NoteOrigin o;
    o.record.cls = OriginClass::Ai;
    o.record.tool = tool;
    o.record.kind = "agent";
    o.tokens.input = input_tokens;
    return o;
}

Note note_with(const std::vector<std::pair<uint32_t, LineClass>>& lines, const std::string& tool,
               uint64_t tokens, const std::string& origin_id = "o1") {
    Note n;
    n.commit = std::string(40, 'a');
    NoteFile f;
    f.blob = std::string(40, 'b');
    n.origins[origin_id] = ai_origin(tool, tokens);
    for (auto [l, c] : lines) {
        f.lines(c).push_back(l);
        if (c == LineClass::Ai) f.by_origin[origin_id].push_back(l);
    }
    n.files["x.cpp"] = f;
    return n;
}

} // namespace

TEST_CASE("merge_note_texts: line by line, commutative, conflicts become unknown") {
    Note a = note_with({{1, LineClass::Ai}, {2, LineClass::Unknown}, {3, LineClass::Human}},
                       "claude-code", 100);
    Note b = note_with({{1, LineClass::Unknown}, {2, LineClass::Paste}, {3, LineClass::Paste}},
                       "claude-code", 70, "zz");
    auto ab = merge_note_texts(serialize_note(a), serialize_note(b));
    auto ba = merge_note_texts(serialize_note(b), serialize_note(a));
    REQUIRE(ab.ok());
    REQUIRE(ba.ok());
    CHECK(*ab == *ba);
    auto m = parse_note(*ab);
    REQUIRE_MESSAGE(m.ok(), m.error().message);
    const NoteFile& f = m->files.at("x.cpp");
    CHECK(f.lookup(1)->first == LineClass::Ai);
    CHECK(f.lookup(2)->first == LineClass::Paste);
    CHECK(f.lookup(3)->first == LineClass::Unknown);
    // One origin (same record under two ids), usage the larger figure, not the sum.
    REQUIRE(m->origins.size() == 1);
    CHECK(m->origins.begin()->second.tokens.input == 100);
}

TEST_CASE("merge_note_texts: different AI origins on one line are a conflict") {
    Note a = note_with({{1, LineClass::Ai}}, "claude-code", 0);
    Note b = note_with({{1, LineClass::Ai}}, "cursor", 0);
    auto m = parse_note(*merge_note_texts(serialize_note(a), serialize_note(b)));
    REQUIRE(m.ok());
    CHECK(m->files.at("x.cpp").lookup(1)->first == LineClass::Unknown);
}

TEST_CASE("merge_note_texts: an unreadable note loses; two unreadable are an error") {
    Note a = note_with({{1, LineClass::Ai}}, "claude-code", 0);
    auto m = merge_note_texts("garbage", serialize_note(a));
    REQUIRE(m.ok());
    CHECK(*m == serialize_note(a));
    CHECK(*merge_note_texts(serialize_note(a), "{") == serialize_note(a));
    CHECK_FALSE(merge_note_texts("x", "y").ok());
}

TEST_CASE("merge_note_texts: different blobs for one path are not mixed") {
    Note a = note_with({{1, LineClass::Ai}, {2, LineClass::Ai}}, "claude-code", 0);
    Note b = note_with({{1, LineClass::Human}}, "claude-code", 0);
    b.files["x.cpp"].blob = std::string(40, 'c');
    auto m = parse_note(*merge_note_texts(serialize_note(a), serialize_note(b)));
    REQUIRE(m.ok());
    // a knows more lines: it is primary; b's lines about another blob say nothing.
    CHECK(m->files.at("x.cpp").blob == std::string(40, 'b'));
    CHECK(m->files.at("x.cpp").lookup(1)->first == LineClass::Ai);
}

TEST_CASE("parse_rewrite_pairs: git's post-rewrite lines, extra field, errors") {
    const std::string one(40, '1'), two(40, '2'), three(40, '3');
    std::string text;
    text.append(one).append(" ").append(two).append("\n\n");
    text.append(three).append(" ").append(two).append(" extra\n");
    std::istringstream in(text);
    auto pairs = parse_rewrite_pairs(in);
    REQUIRE(pairs.ok());
    REQUIRE(pairs->size() == 2);
    CHECK(to_hex((*pairs)[1].old_id) == std::string(40, '3'));
    std::string bad_text(40, '1');
    bad_text.push_back('\n');
    std::istringstream bad(bad_text);
    auto r = parse_rewrite_pairs(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("line 1") != std::string::npos);
}

TEST_CASE("map_lines: unchanged lines shift, changed lines lose their attribution") {
    FileLines lines(4);
    lines[1] = LineAttr{LineClass::Ai, nullptr, nullptr};
    lines[2] = LineAttr{LineClass::Human, nullptr, nullptr};
    lines[3] = LineAttr{LineClass::Paste, nullptr, nullptr};
    auto out = map_lines(lines, "one\ntwo\nthree\n", "zero\none\nTWO\nthree\n");
    REQUIRE(out.ok());
    REQUIRE(out->size() == 5);
    CHECK_FALSE((*out)[1].has_value());
    CHECK((*out)[2]->cls == LineClass::Ai);
    CHECK_FALSE((*out)[3].has_value()); // changed: never keeps the old class
    CHECK((*out)[4]->cls == LineClass::Paste);
}

} // namespace provenant::git
