# Run by ctest ("layering: session_includes_no_asio_or_lsp"): the session core includes no asio
# and no LSP header. asio is installed system-wide (/usr/include), so the include path cannot
# hide it from session as it hides lsp/ (session_sees_lsp.cpp): this reads the sources instead.
file(GLOB_RECURSE sources "${SESSION_DIR}/*.h" "${SESSION_DIR}/*.cpp")
set(found "")
foreach(f ${sources})
  file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](asio|lsp/)")
  foreach(line ${lines})
    list(APPEND found "${f}: ${line}")
  endforeach()
endforeach()
if(found)
  list(JOIN found "\n" text)
  message(FATAL_ERROR "session/ includes asio or lsp headers:\n${text}")
endif()
list(LENGTH sources n)
message(STATUS "session/: ${n} files, no asio or lsp include")
