// A least-recently-used list of raw objects with an index by id.
#include "git/object_cache.h"

#include "git/pack_reader.h"
#include "git/repository.h"

#include <cstring>

namespace provenant::git {

size_t OidHash::operator()(const git_oid& id) const noexcept {
    size_t h = 0;
    std::memcpy(&h, id.id, sizeof h); // an object id is a hash already
    return h;
}

void ObjectCache::drop(const git_oid& id) {
    auto it = index_.find(id);
    if (it == index_.end()) return;
    bytes_ -= it->second->size;
    lru_.erase(it->second);
    index_.erase(it);
}

Result<ObjectCache::Object> ObjectCache::get(git_odb* odb, const git_oid& id, git_object_t type) {
    Object object;
    if (auto it = index_.find(id); it != index_.end()) {
        lru_.splice(lru_.begin(), lru_, it->second); // now the most recent
        object = it->second->object;
        ++hits_;
    } else {
        // The packs first; what they do not hold (or cannot read: libgit2 then decides)
        // through libgit2.
        if (packs_ != nullptr)
            if (auto got = packs_->read(id); got && *got) object = std::move(**got);
        if (!object) {
            git_odb_object* raw = nullptr;
            if (int rc = git_odb_read(&raw, odb, &id); rc != 0)
                return git_error(rc, "reading the object " + to_hex(id));
            object.type = git_odb_object_type(raw);
            object.data = std::make_shared<const std::string>(
                static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw));
            git_odb_object_free(raw);
        }
        ++reads_;
        const size_t size = object.data->size();
        if (size <= budget_) {
            lru_.push_front(Entry{id, object, size});
            index_.emplace(id, lru_.begin());
            bytes_ += size;
            while (bytes_ > budget_) {
                bytes_ -= lru_.back().size;
                index_.erase(lru_.back().id);
                lru_.pop_back();
            }
        }
    }
    if (object.type != type)
        return Error(ErrorKind::invalid_input,
                     to_hex(id) + " is not a " + git_object_type2string(type));
    return object;
}

} // namespace provenant::git
