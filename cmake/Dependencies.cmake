# Every dependency comes from Debian's packages (scripts/setup.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2)
find_package(Threads REQUIRED)

# Every hook run starts a provenant process, so start-up is on git's and the agents' clock:
# with ~24 shared libraries the dynamic loader's relocations and page faults cost ~2 ms of a
# ~5 ms start. PROVENANT_STATIC_DEPS links libgit2 and its crypto/ssh/regex/zlib stack from
# Debian's static archives, spdlog and fmt header-only, and libstdc++/libgcc statically
# (libc and Kerberos, which libgit2 uses for SPNEGO, stay shared). Sanitizer builds stay
# dynamic: ASan wants the shared runtime.
if(PROVENANT_SANITIZE)
  set(_static_default OFF)
else()
  set(_static_default ON)
endif()
option(PROVENANT_STATIC_DEPS "Link libgit2, spdlog, fmt and libstdc++ statically" ${_static_default})

# SHA-256 for git-ai's session ids (protocol/gitai_note.cpp); the static build links the archive.
if(PROVENANT_STATIC_DEPS)
  set(OPENSSL_USE_STATIC_LIBS TRUE)
endif()
find_package(OpenSSL REQUIRED COMPONENTS Crypto)

add_library(provenant_spdlog INTERFACE)
add_library(provenant_libgit2 INTERFACE)
if(PROVENANT_STATIC_DEPS)
  get_target_property(_spdlog_inc spdlog::spdlog_header_only INTERFACE_INCLUDE_DIRECTORIES)
  target_include_directories(provenant_spdlog SYSTEM INTERFACE ${_spdlog_inc})
  target_compile_definitions(provenant_spdlog INTERFACE SPDLOG_FMT_EXTERNAL)
  target_link_libraries(provenant_spdlog INTERFACE fmt::fmt-header-only Threads::Threads)

  # pkg-config's --static list, plus what Debian's libssh2 and libgit2 need beyond it.
  set(_git_libs ${LIBGIT2_STATIC_LIBRARIES})
  list(INSERT _git_libs 0 git2)
  list(REMOVE_DUPLICATES _git_libs)
  list(APPEND _git_libs crypto z)
  set(_git_link "")
  foreach(_lib IN LISTS _git_libs)
    if(_lib STREQUAL "rt")
      list(APPEND _git_link rt)
      continue()
    endif()
    find_library(_archive_${_lib} NAMES lib${_lib}.a)
    if(_archive_${_lib})
      list(APPEND _git_link "${_archive_${_lib}}")
    else()
      message(WARNING "lib${_lib}.a not found: linking lib${_lib} dynamically")
      list(APPEND _git_link ${_lib})
    endif()
  endforeach()
  find_library(_gssapi NAMES gssapi_krb5 REQUIRED)
  target_include_directories(provenant_libgit2 SYSTEM INTERFACE ${LIBGIT2_INCLUDE_DIRS})
  target_link_libraries(provenant_libgit2 INTERFACE ${_git_link} "${_gssapi}" Threads::Threads)
  # The archive also defines libgit2's xdiff entry point, which the shared library hides:
  # git/line_map (blame) and analysis/commit_diff (the report's walk) call it directly (no
  # hashing of the texts), declared as libgit2 1.5 has it.
  if(LIBGIT2_VERSION VERSION_GREATER_EQUAL 1.5 AND LIBGIT2_VERSION VERSION_LESS 1.6)
    set_source_files_properties("${CMAKE_SOURCE_DIR}/server/git/line_map.cpp"
                                "${CMAKE_SOURCE_DIR}/server/analysis/commit_diff.cpp"
                                PROPERTIES COMPILE_DEFINITIONS PROVENANT_LIBGIT2_XDIFF=1)
  endif()
  add_link_options(-static-libstdc++ -static-libgcc)
else()
  target_link_libraries(provenant_spdlog INTERFACE spdlog::spdlog)
  # zlib directly too: git/pack_reader inflates pack entries itself.
  target_link_libraries(provenant_libgit2 INTERFACE PkgConfig::LIBGIT2 z)
endif()

# libdeflate (optional) for git/pack_reader's zlib streams: blame and the cold walk decode every
# commit, tree and blob version they read, mostly deltas of a few hundred bytes, where zlib's
# table building dominates; libdeflate decodes them in about half the instructions. Without it,
# zlib (the same checks, the same results).
find_path(LIBDEFLATE_INCLUDE_DIR libdeflate.h)
if(PROVENANT_STATIC_DEPS)
  find_library(LIBDEFLATE_LIBRARY NAMES libdeflate.a deflate)
else()
  find_library(LIBDEFLATE_LIBRARY NAMES deflate)
endif()
add_library(provenant_libdeflate INTERFACE)
if(LIBDEFLATE_INCLUDE_DIR AND LIBDEFLATE_LIBRARY)
  message(STATUS "libdeflate: ${LIBDEFLATE_LIBRARY}")
  target_include_directories(provenant_libdeflate SYSTEM INTERFACE "${LIBDEFLATE_INCLUDE_DIR}")
  target_link_libraries(provenant_libdeflate INTERFACE "${LIBDEFLATE_LIBRARY}")
  set_property(SOURCE "${CMAKE_SOURCE_DIR}/server/git/pack_reader.cpp" APPEND PROPERTY
               COMPILE_DEFINITIONS PROVENANT_LIBDEFLATE=1)
else()
  message(STATUS "libdeflate not found: pack entries are decoded with zlib")
endif()

# toml++ (team maps, server/analysis/teams.cpp) compiled header-only in the one file that
# includes it: no shared library for the static build, and no exceptions (parse_result).
find_path(TOMLPLUSPLUS_INCLUDE_DIR toml++/toml.h REQUIRED)
add_library(provenant_tomlplusplus INTERFACE)
target_include_directories(provenant_tomlplusplus SYSTEM INTERFACE "${TOMLPLUSPLUS_INCLUDE_DIR}")
target_compile_definitions(provenant_tomlplusplus INTERFACE TOML_HEADER_ONLY=1 TOML_EXCEPTIONS=0)

# SQLite for the analysis store (server/analysis/store.cpp); the static build links the archive.
add_library(provenant_sqlite3 INTERFACE)
if(PROVENANT_STATIC_DEPS)
  find_library(SQLITE3_ARCHIVE NAMES libsqlite3.a REQUIRED)
  target_link_libraries(provenant_sqlite3 INTERFACE "${SQLITE3_ARCHIVE}" m ${CMAKE_DL_LIBS} Threads::Threads)
else()
  find_package(SQLite3 REQUIRED)
  target_link_libraries(provenant_sqlite3 INTERFACE SQLite::SQLite3)
endif()

# Standalone asio is header-only and ships no CMake config.
find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(asio::asio INTERFACE IMPORTED)
target_include_directories(asio::asio INTERFACE "${ASIO_INCLUDE_DIR}")
target_compile_definitions(asio::asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
target_link_libraries(asio::asio INTERFACE Threads::Threads)

find_package(doctest QUIET)
if(NOT doctest_FOUND)
  find_path(DOCTEST_INCLUDE_DIR doctest/doctest.h REQUIRED)
  add_library(doctest::doctest INTERFACE IMPORTED)
  target_include_directories(doctest::doctest INTERFACE "${DOCTEST_INCLUDE_DIR}")
endif()
