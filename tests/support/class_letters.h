// The attribution of a text as one letter per byte, for tests that compare whole texts at a
// glance: a(i, any origin) h(uman) p(aste) u(nknown).
#pragma once

#include "core/document.h"

#include <string>

namespace provenant::test {

inline std::string class_letters(const Snapshot& s) {
    std::string out;
    for (const Attr& a : s.expand()) {
        switch (s.origins.class_of(a.origin)) {
        case OriginClass::Ai:
            out += 'a';
            break;
        case OriginClass::Human:
            out += 'h';
            break;
        case OriginClass::Paste:
            out += 'p';
            break;
        case OriginClass::Unknown:
            out += 'u';
            break;
        }
    }
    return out;
}

inline std::string class_letters(const Document& d) {
    return class_letters(d.snapshot());
}

} // namespace provenant::test
