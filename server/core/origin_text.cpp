// OriginText: a treap of text chunks with attribution runs and cached counts.
#include "core/origin_text.h"

#include "core/utf8.h"

#include <algorithm>

namespace provenant {

/// The first cache line holds what a descent reads (children and left-subtree sums).
struct alignas(64) OriginText::Node {
    Node* l = nullptr;
    Node* r = nullptr;
    // Sums of the left subtree, kept here so a descent reads only the nodes on its path.
    uint64_t l_bytes = 0, l_breaks = 0, l_utf16 = 0, l_cps = 0;
    uint32_t prio = 0;
    uint64_t sum_bytes = 0, sum_breaks = 0, sum_utf16 = 0, sum_cps = 0; // of the subtree
    utf8::Counts own; // counts of `text` on its own
    std::string text;
    std::vector<Run> runs; // lengths sum to text.size()
};

namespace {

using Node = OriginText::Node;

/// Fill of chunks built from a long text (their capacity is kMaxChunk): leaves room for
/// in-place typing.
constexpr size_t kFill = 960;
/// Deepest path the in-place edit records (a treap of a billion chunks stays far below).
constexpr int kMaxDepth = 160;

uint64_t bytes(const Node* t) {
    return t ? t->sum_bytes : 0;
}
uint64_t breaks(const Node* t) {
    return t ? t->sum_breaks : 0;
}
uint64_t units(const Node* t, Units u) {
    if (!t) return 0;
    return u == Units::Bytes ? t->sum_bytes : u == Units::Utf16 ? t->sum_utf16 : t->sum_cps;
}
uint64_t own_units(const Node* t, Units u) {
    return u == Units::Bytes ? t->text.size() : u == Units::Utf16 ? t->own.utf16 : t->own.cps;
}
uint64_t count_units(std::string_view s, Units u) {
    if (u == Units::Bytes) return s.size();
    const utf8::Counts c = utf8::count(s);
    return u == Units::Utf16 ? c.utf16 : c.cps;
}

uint64_t lbytes(const Node* t) {
    return t->l_bytes;
}
uint64_t lbreaks(const Node* t) {
    return t->l_breaks;
}
uint64_t lunits(const Node* t, Units u) {
    return u == Units::Bytes ? t->l_bytes : u == Units::Utf16 ? t->l_utf16 : t->l_cps;
}

void pull(Node* t) {
    t->l_bytes = bytes(t->l);
    t->l_breaks = breaks(t->l);
    t->l_cps = units(t->l, Units::CodePoints);
    t->l_utf16 = units(t->l, Units::Utf16);
    t->sum_bytes = t->l_bytes + t->text.size() + bytes(t->r);
    t->sum_breaks = t->l_breaks + t->own.breaks + breaks(t->r);
    t->sum_cps = t->l_cps + t->own.cps + units(t->r, Units::CodePoints);
    t->sum_utf16 = t->l_utf16 + t->own.utf16 + units(t->r, Units::Utf16);
}

void pull_all(Node* t) {
    if (!t) return;
    pull_all(t->l);
    pull_all(t->r);
    pull(t);
}

void destroy(Node* t) {
    while (t) {
        destroy(t->l);
        Node* r = t->r;
        delete t;
        t = r;
    }
}

Node* merge(Node* a, Node* b) {
    if (!a) return b;
    if (!b) return a;
    if (a->prio > b->prio) {
        a->r = merge(a->r, b);
        pull(a);
        return a;
    }
    b->l = merge(a, b->l);
    pull(b);
    return b;
}

enum class SplitBy : uint8_t { End, Start };

/// By End: nodes whose end <= k go left. By Start: nodes whose start < k go left.
void split(Node* t, uint64_t k, SplitBy by, Node*& l, Node*& r) {
    if (!t) {
        l = r = nullptr;
        return;
    }
    const uint64_t start = lbytes(t), end = start + t->text.size();
    const bool left = by == SplitBy::End ? end <= k : start < k;
    if (left) {
        split(t->r, k > end ? k - end : 0, by, t->r, r);
        l = t;
    } else {
        split(t->l, k, by, l, t->l);
        r = t;
    }
    pull(t);
}

void push_run(std::vector<Run>& v, uint64_t len, Attr a) {
    if (len == 0) return;
    if (!v.empty() && v.back().attr == a)
        v.back().length += static_cast<uint32_t>(len);
    else
        v.push_back(Run{static_cast<uint32_t>(len), a});
}

/// Appends the runs of `src` over [off, off+len) to `dst`.
void copy_runs(const std::vector<Run>& src, size_t off, size_t len, std::vector<Run>& dst) {
    size_t pos = 0;
    for (const Run& r : src) {
        if (len == 0) break;
        const size_t end = pos + r.length;
        if (end > off) {
            const size_t from = std::max(pos, off);
            const size_t take = std::min(end - from, len);
            push_run(dst, take, r.attr);
            len -= take;
            off = from + take;
        }
        pos = end;
    }
}

/// Replaces [x, x+len) of a chunk's runs with `ins`, in place (memmove rather than a copy
/// of every run: a chunk someone types into collects many runs).
void splice_runs(std::vector<Run>& v, size_t x, size_t len, const std::vector<Run>& ins) {
    size_t i = 0, pos = 0;
    while (i < v.size() && pos + v[i].length <= x)
        pos += v[i++].length;
    if (i < v.size() && pos < x) {
        // Split the run holding x.
        const Run tail{static_cast<uint32_t>(pos + v[i].length - x), v[i].attr};
        v[i].length = static_cast<uint32_t>(x - pos);
        v.insert(v.begin() + static_cast<std::ptrdiff_t>(++i), tail);
    }
    size_t k = i;
    while (len > 0 && k < v.size()) {
        if (v[k].length <= len) {
            len -= v[k++].length;
        } else {
            v[k].length -= static_cast<uint32_t>(len);
            len = 0;
        }
    }
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(i), v.begin() + static_cast<std::ptrdiff_t>(k));
    v.insert(v.begin() + static_cast<std::ptrdiff_t>(i), ins.begin(), ins.end());
    // Merge equal neighbours at both seams (and drop empty runs, which `ins` may not have).
    auto merge_at = [&](size_t j) { // merges v[j-1] and v[j] when equal
        if (j == 0 || j >= v.size() || !(v[j - 1].attr == v[j].attr)) return false;
        v[j - 1].length += v[j].length;
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(j));
        return true;
    };
    const size_t end = i + ins.size();
    merge_at(end);
    if (merge_at(i) && ins.empty()) return;
}

/// Reads runs forward in pieces.
class RunReader {
public:
    explicit RunReader(const std::vector<Run>& runs) : runs_(runs) {}
    void take(size_t len, std::vector<Run>& dst) {
        while (len > 0 && idx_ < runs_.size()) {
            const size_t avail = runs_[idx_].length - used_;
            const size_t n = std::min(avail, len);
            push_run(dst, n, runs_[idx_].attr);
            used_ += n;
            len -= n;
            if (used_ == runs_[idx_].length) {
                ++idx_;
                used_ = 0;
            }
        }
    }

private:
    const std::vector<Run>& runs_;
    size_t idx_ = 0;
    size_t used_ = 0;
};

/// A cut before s[i] keeps each side countable on its own: it does not split a \r\n pair,
/// and no character crosses it (s[i] starts one, or the three bytes before are continuation
/// bytes, so no lead byte reaches s[i]).
bool safe_cut(std::string_view s, size_t i) {
    if (i == 0 || i >= s.size()) return true;
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    if (b(i - 1) == '\r' && b(i) == '\n') return false;
    if (!utf8::is_cont(b(i))) return true;
    return i >= 3 && utf8::is_cont(b(i - 1)) && utf8::is_cont(b(i - 2)) && utf8::is_cont(b(i - 3));
}

/// A safe cut near `target`, strictly inside (lo, hi).
size_t find_cut(std::string_view s, size_t target, size_t lo, size_t hi) {
    for (size_t d = 0; d < 64; ++d) {
        if (target >= lo + 1 + d && safe_cut(s, target - d)) return target - d;
        if (target + d < hi && safe_cut(s, target + d)) return target + d;
    }
    return target; // unreachable for any text: a safe cut occurs within 4 bytes
}

size_t count_breaks(std::string_view s) {
    const char* p = s.data();
    const size_t n = s.size();
    size_t count = 0;
    for (size_t i = 0; i < n; ++i)
        if (p[i] == '\n' || (p[i] == '\r' && (i + 1 >= n || p[i + 1] != '\n'))) ++count;
    return count;
}

/// Offset just after the k-th (1-based) break of s; s has at least k breaks.
size_t kth_break_end(std::string_view s, uint64_t k) {
    const char* p = s.data();
    const size_t n = s.size();
    for (size_t i = 0; i < n; ++i) {
        if (p[i] == '\n' || (p[i] == '\r' && (i + 1 >= n || p[i + 1] != '\n')))
            if (--k == 0) return i + 1;
    }
    return n;
}

/// Walks characters of s from `i` until `n` units are behind, or (when `stop_at_break`) a
/// line break is next; returns the units walked and leaves `i` after the last character.
uint64_t walk_units(std::string_view s, size_t& i, uint64_t n, Units u, bool stop_at_break,
                    bool& hit_break) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const size_t size = s.size();
    uint64_t acc = 0;
    hit_break = false;
    while (acc < n && i < size) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            if (stop_at_break && (c == '\n' || c == '\r')) {
                hit_break = true;
                return acc;
            }
            ++acc;
            ++i;
            continue;
        }
        const size_t len = utf8::token_length(p + i, size - i);
        acc += u == Units::Bytes ? len : u == Units::Utf16 ? utf8::utf16_units(len) : 1;
        i += len;
    }
    return acc;
}

/// Replaces the attrs of [a, b) in a chunk's runs with f(attr).
void map_runs(std::vector<Run>& runs, size_t a, size_t b,
              const std::function<Attr(const Attr&)>& f) {
    std::vector<Run> out;
    out.reserve(runs.size() + 2);
    size_t pos = 0;
    for (const Run& r : runs) {
        const size_t end = pos + r.length;
        const size_t x = std::clamp(a, pos, end), y = std::clamp(b, pos, end);
        push_run(out, x - pos, r.attr);
        if (y > x) push_run(out, y - x, f(r.attr));
        push_run(out, end - y, r.attr);
        pos = end;
    }
    runs = std::move(out);
}

/// Appends the text and runs of a subtree, in order.
void gather(const Node* t, std::string& s, std::vector<Run>& runs) {
    while (t) {
        gather(t->l, s, runs);
        s += t->text;
        for (const Run& r : t->runs)
            push_run(runs, r.length, r.attr);
        t = t->r;
    }
}

} // namespace

OriginText::OriginText() = default;

OriginText::OriginText(std::string_view text, Attr attr) {
    std::vector<Run> runs;
    push_run(runs, text.size(), attr);
    root_ = build(text, runs);
}

OriginText::OriginText(std::string_view text, const std::vector<Run>& runs) {
    root_ = build(text, runs);
}

OriginText::~OriginText() {
    destroy(root_);
}

OriginText::OriginText(OriginText&& o) noexcept : root_(o.root_), seed_(o.seed_) {
    o.root_ = nullptr;
}

OriginText& OriginText::operator=(OriginText&& o) noexcept {
    if (this != &o) {
        destroy(root_);
        root_ = o.root_;
        seed_ = o.seed_;
        o.root_ = nullptr;
    }
    return *this;
}

uint32_t OriginText::next_priority() {
    // xorshift64*: deterministic, so a document's shape (and any bug) is reproducible.
    seed_ ^= seed_ >> 12;
    seed_ ^= seed_ << 25;
    seed_ ^= seed_ >> 27;
    return static_cast<uint32_t>((seed_ * 0x2545F4914F6CDD1Dull) >> 32);
}

OriginText::Node* OriginText::build(std::string_view s, const std::vector<Run>& runs) {
    // Cut into chunks at safe places, then build the treap in O(chunks) with a stack
    // (a Cartesian tree on the priorities).
    std::vector<Node*> stack;
    RunReader reader(runs);
    size_t pos = 0;
    const size_t n = s.size();
    while (pos < n) {
        const size_t rest = n - pos;
        size_t cut = n;
        if (rest > kMaxChunk) {
            const size_t pieces = (rest + kFill - 1) / kFill;
            cut = find_cut(s, pos + rest / pieces, pos, n);
        }
        auto* node = new Node;
        node->text.reserve(kMaxChunk);
        node->text.assign(s.substr(pos, cut - pos));
        reader.take(cut - pos, node->runs);
        node->own = utf8::count(node->text);
        node->prio = next_priority();
        Node* last = nullptr;
        while (!stack.empty() && stack.back()->prio < node->prio) {
            last = stack.back();
            stack.pop_back();
        }
        node->l = last;
        if (!stack.empty()) stack.back()->r = node;
        stack.push_back(node);
        pos = cut;
    }
    if (stack.empty()) return nullptr;
    pull_all(stack.front());
    return stack.front();
}

size_t OriginText::size() const {
    return bytes(root_);
}
size_t OriginText::line_count() const {
    return breaks(root_) + 1;
}
uint64_t OriginText::total_units(Units u) const {
    return units(root_, u);
}

void OriginText::replace(size_t off, size_t len, std::string_view text, Attr attr) {
    std::vector<Run> runs;
    push_run(runs, text.size(), attr);
    replace(off, len, text, runs);
}

bool OriginText::replace_in_place(size_t a, size_t len, std::string_view text,
                                  const std::vector<Run>& runs) {
    if (!root_) return false;
    const size_t b = a + len;
    const size_t want = a > 0 ? a - 1 : 0; // the chunk holding the byte before the edit
    Node* path[kMaxDepth];
    bool went_left[kMaxDepth];
    int depth = 0;
    Node* t = root_;
    size_t base = 0;
    bool first = true, last = true;
    for (;;) {
        if (!t || depth == kMaxDepth) return false;
        path[depth] = t;
        went_left[depth++] = false;
        const size_t s = base + lbytes(t);
        if (want < s) {
            last = false;
            went_left[depth - 1] = true;
            t = t->l;
            continue;
        }
        if (want >= s + t->text.size()) {
            first = false;
            base = s + t->text.size();
            t = t->r;
            continue;
        }
        base = s;
        break;
    }
    first = first && !t->l;
    last = last && !t->r;
    const size_t z = t->text.size();
    // Stay clear of the chunk's ends (unless nothing lies beyond): the bytes that make its
    // boundaries safe must not change.
    if (a < base || b > base + z) return false;
    if (!(a >= base + 1 || first) || !(b + 3 <= base + z || last)) return false;
    const size_t new_size = z - len + text.size();
    if (new_size == 0 || new_size > kMaxChunk) return false;
    const size_t x = a - base;

    // Counts change only near the edit: recount a window from a safe cut before it to a
    // safe cut at least 3 bytes after it (those bytes are unchanged, so the cut stays safe).
    const std::string_view old = t->text;
    size_t w0 = x > 0 ? x - 1 : 0;
    while (w0 > 0 && !safe_cut(old, w0))
        --w0;
    size_t w1 = std::min(z, x + len + 3);
    while (w1 < z && !safe_cut(old, w1))
        ++w1;
    const utf8::Counts before = utf8::count(old.substr(w0, w1 - w0));

    splice_runs(t->runs, x, len, runs);
    if (new_size > t->text.capacity()) t->text.reserve(kMaxChunk);
    t->text.replace(x, len, text);

    const utf8::Counts after =
        utf8::count(std::string_view(t->text).substr(w0, w1 + new_size - z - w0));
    t->own.cps = t->own.cps - before.cps + after.cps;
    t->own.utf16 = t->own.utf16 - before.utf16 + after.utf16;
    t->own.breaks = t->own.breaks - before.breaks + after.breaks;
    // Add the differences along the path (unsigned wrap-around adds negative ones exactly);
    // no sibling is read, so the update costs no cache misses beyond the path.
    const uint64_t d_bytes = new_size - z, d_cps = after.cps - before.cps,
                   d_utf16 = after.utf16 - before.utf16, d_breaks = after.breaks - before.breaks;
    for (int i = 0; i < depth; ++i) {
        Node* n = path[i];
        n->sum_bytes += d_bytes;
        n->sum_cps += d_cps;
        n->sum_utf16 += d_utf16;
        n->sum_breaks += d_breaks;
        if (went_left[i]) {
            n->l_bytes += d_bytes;
            n->l_cps += d_cps;
            n->l_utf16 += d_utf16;
            n->l_breaks += d_breaks;
        }
    }
    return true;
}

void OriginText::replace(size_t off, size_t len, std::string_view text,
                         const std::vector<Run>& runs) {
    const size_t n = size();
    off = std::min(off, n);
    len = std::min(len, n - off);
    if (len == 0 && text.empty()) return;
    if (replace_in_place(off, len, text, runs)) return;
    // Rebuild the chunks from the one holding the byte before the edit to the one holding
    // the third byte after it; the boundaries outside them keep their bytes, so stay safe.
    const size_t a = off, b = off + len;
    Node *left = nullptr, *rest = root_, *mid = nullptr, *right = nullptr;
    if (a >= 1) split(root_, a - 1, SplitBy::End, left, rest);
    const size_t lb = bytes(left);
    split(rest, b + 3 - lb, SplitBy::Start, mid, right);
    std::string old;
    std::vector<Run> old_runs;
    old.reserve(bytes(mid));
    gather(mid, old, old_runs);
    destroy(mid);
    const size_t x = a - lb, y = b - lb;
    std::string s;
    s.reserve(old.size() - len + text.size());
    s.append(old, 0, x).append(text).append(old, y);
    std::vector<Run> rs;
    copy_runs(old_runs, 0, x, rs);
    for (const Run& r : runs)
        push_run(rs, r.length, r.attr);
    copy_runs(old_runs, y, old.size() - y, rs);
    root_ = merge(merge(left, build(s, rs)), right);
}

namespace {

/// Calls f(node, node_start, a, b) for every node overlapping [a, b), in order, with the
/// overlap clipped to the node ([a, b) relative to the node's start).
template <typename N, typename F> void visit(N* t, size_t base, size_t a, size_t b, F&& f) {
    while (t && a < b) {
        const size_t s = base + lbytes(t), e = s + t->text.size();
        if (a < s) visit(t->l, base, a, std::min(b, s), f);
        if (a < e && b > s) f(*t, std::max(a, s) - s, std::min(b, e) - s);
        if (b <= e) return;
        base = e;
        a = std::max(a, e);
        t = t->r;
    }
}

} // namespace

void OriginText::set_attr(size_t off, size_t len, Attr attr) {
    update_attrs(off, len, [attr](const Attr&) { return attr; });
}

void OriginText::update_attrs(size_t off, size_t len, const std::function<Attr(const Attr&)>& f) {
    visit(root_, 0, off, off + len,
          [&](Node& n, size_t a, size_t b) { map_runs(n.runs, a, b, f); });
}

std::string OriginText::substr(size_t off, size_t len) const {
    std::string out;
    out.reserve(std::min(len, size()));
    visit(root_, 0, off, off + std::min(len, size()),
          [&](const Node& n, size_t a, size_t b) { out.append(n.text, a, b - a); });
    return out;
}

std::vector<Run> OriginText::runs(size_t off, size_t len) const {
    std::vector<Run> out;
    visit(root_, 0, off, off + std::min(len, size()),
          [&](const Node& n, size_t a, size_t b) { copy_runs(n.runs, a, b - a, out); });
    return out;
}

char OriginText::byte_at(size_t off) const {
    char c = 0;
    visit(root_, 0, off, off + 1, [&](const Node& n, size_t a, size_t) { c = n.text[a]; });
    return c;
}

OriginText::LineStart OriginText::find_line_start(size_t line) const {
    const Node* t = root_;
    size_t base = 0;
    uint64_t k = line;
    while (t) {
        const uint64_t lk = lbreaks(t);
        if (k <= lk) {
            t = t->l;
            continue;
        }
        k -= lk;
        base += lbytes(t);
        if (k <= t->own.breaks) return {t, base, kth_break_end(t->text, k)};
        k -= t->own.breaks;
        base += t->text.size();
        t = t->r;
    }
    return {};
}

size_t OriginText::line_start(size_t line) const {
    if (line == 0) return 0;
    if (line > breaks(root_)) return size();
    const LineStart at = find_line_start(line);
    return at.node ? at.base + at.in_node : size();
}

size_t OriginText::line_content_end(size_t line) const {
    if (line + 1 >= line_count()) return size();
    const size_t next = line_start(line + 1);
    if (next >= 2 && byte_at(next - 1) == '\n' && byte_at(next - 2) == '\r') return next - 2;
    return next - 1;
}

size_t OriginText::line_of(size_t off) const {
    if (off >= size()) return breaks(root_);
    const Node* t = root_;
    size_t base = 0, count = 0;
    while (t) {
        const size_t s = base + lbytes(t);
        if (off < s) {
            t = t->l;
            continue;
        }
        count += lbreaks(t);
        if (off < s + t->text.size()) {
            const size_t x = off - s;
            count += count_breaks(std::string_view(t->text).substr(0, x));
            // A \r right before `off` whose \n is at `off` is not a break yet.
            if (x > 0 && t->text[x - 1] == '\r' && t->text[x] == '\n') --count;
            return count;
        }
        count += t->own.breaks;
        base = s + t->text.size();
        t = t->r;
    }
    return count;
}

uint64_t OriginText::units_before(size_t off, Units u) const {
    if (u == Units::Bytes) return std::min(off, size());
    if (off >= size()) return units(root_, u);
    const Node* t = root_;
    size_t base = 0;
    uint64_t n = 0;
    while (t) {
        const size_t s = base + lbytes(t);
        if (off < s) {
            t = t->l;
            continue;
        }
        n += lunits(t, u);
        if (off < s + t->text.size())
            return n + count_units(std::string_view(t->text).substr(0, off - s), u);
        n += own_units(t, u);
        base = s + t->text.size();
        t = t->r;
    }
    return n;
}

std::optional<size_t> OriginText::offset_at_units(uint64_t n, Units u) const {
    const Node* t = root_;
    size_t base = 0;
    while (t) {
        const uint64_t lu = lunits(t, u);
        if (n < lu) {
            t = t->l;
            continue;
        }
        base += lbytes(t);
        n -= lu;
        if (n == 0) return base;
        if (n <= own_units(t, u)) {
            // Walk the chunk's characters until exactly n units are behind.
            size_t i = 0;
            bool hit_break = false;
            const uint64_t acc = walk_units(t->text, i, n, u, false, hit_break);
            if (acc != n) return std::nullopt;
            return base + i;
        }
        n -= own_units(t, u);
        base += t->text.size();
        t = t->r;
    }
    if (n == 0) return base;
    return std::nullopt;
}

OriginText::Locate OriginText::locate(size_t line, uint64_t n, Units u, size_t& offset) const {
    if (line >= line_count()) return Locate::LinePastEnd;
    // Find the chunk where the line starts, and the start inside it.
    const Node* t = root_;
    size_t base = 0, x = 0;
    if (line == 0) {
        while (t && t->l)
            t = t->l;
    } else {
        const LineStart at = find_line_start(line);
        t = at.node;
        base = at.base;
        x = at.in_node;
    }
    if (t) {
        // Walk the line's characters inside this chunk (lines are usually short).
        size_t i = x;
        bool hit_break = false;
        const uint64_t acc = walk_units(t->text, i, n, u, true, hit_break);
        if (hit_break) return Locate::PastLineEnd;
        if (acc == n) {
            offset = base + i;
            return Locate::Ok;
        }
        if (acc > n) return Locate::InsideCharacter;
    } else if (n == 0) {
        offset = size();
        return Locate::Ok;
    }
    // The line goes on past this chunk: count through the sums instead.
    const size_t ls = line_start(line), le = line_content_end(line);
    const uint64_t u0 = units_before(ls, u), ue = units_before(le, u);
    if (u0 + n > ue) return Locate::PastLineEnd;
    const std::optional<size_t> off = offset_at_units(u0 + n, u);
    if (!off) return Locate::InsideCharacter;
    offset = *off;
    return Locate::Ok;
}

void OriginText::export_to(std::string& text, std::vector<Run>& runs) const {
    text.clear();
    runs.clear();
    text.reserve(size());
    gather(root_, text, runs);
}

namespace {

std::string check_node(const Node* t, std::vector<const Node*>& order) {
    if (!t) return {};
    if (std::string e = check_node(t->l, order); !e.empty()) return e;
    order.push_back(t);
    if (std::string e = check_node(t->r, order); !e.empty()) return e;
    if ((t->l && t->l->prio > t->prio) || (t->r && t->r->prio > t->prio))
        return "heap order broken";
    if (t->text.empty() || t->text.size() > OriginText::kMaxChunk)
        return "chunk of " + std::to_string(t->text.size()) + " bytes";
    const utf8::Counts c = utf8::count(t->text);
    if (c.cps != t->own.cps || c.utf16 != t->own.utf16 || c.breaks != t->own.breaks)
        return "stale chunk counts";
    uint64_t runs = 0;
    for (size_t i = 0; i < t->runs.size(); ++i) {
        if (t->runs[i].length == 0) return "empty run";
        if (i > 0 && t->runs[i].attr == t->runs[i - 1].attr) return "adjacent equal runs";
        runs += t->runs[i].length;
    }
    if (runs != t->text.size())
        return "runs cover " + std::to_string(runs) + " of " + std::to_string(t->text.size());
    Node copy;
    copy.l = t->l;
    copy.r = t->r;
    copy.text = t->text;
    copy.own = t->own;
    pull(&copy);
    if (copy.sum_bytes != t->sum_bytes || copy.sum_cps != t->sum_cps ||
        copy.sum_utf16 != t->sum_utf16 || copy.sum_breaks != t->sum_breaks ||
        copy.l_bytes != t->l_bytes || copy.l_cps != t->l_cps || copy.l_utf16 != t->l_utf16 ||
        copy.l_breaks != t->l_breaks)
        return "stale subtree sums";
    return {};
}

} // namespace

std::string OriginText::check() const {
    std::vector<const Node*> order;
    if (std::string e = check_node(root_, order); !e.empty()) return e;
    std::string all;
    for (size_t i = 0; i < order.size(); ++i) {
        if (i > 0 && order[i - 1]->text.back() == '\r' && order[i]->text.front() == '\n')
            return "a chunk boundary splits a \\r\\n pair before chunk " + std::to_string(i);
        all += order[i]->text;
    }
    const utf8::Counts c = utf8::count(all);
    if (c.cps != units(root_, Units::CodePoints) || c.utf16 != units(root_, Units::Utf16) ||
        c.breaks != breaks(root_))
        return "chunk counts differ from the whole text's";
    return {};
}

size_t OriginText::memory_bytes() const {
    size_t total = 0;
    visit(root_, 0, 0, size(), [&](const Node& n, size_t, size_t) {
        total += sizeof(Node) + n.text.capacity() + n.runs.capacity() * sizeof(Run);
    });
    return total;
}

} // namespace provenant
