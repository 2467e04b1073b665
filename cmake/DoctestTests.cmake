# One ctest test per doctest test case, so `ctest -j` balances across cases instead of waiting
# on the longest binary, and labels select sets (`ctest -L unit`, `-LE slow`).
# Doctest's own doctest_discover_tests (Debian's 2.4.9) does the same but writes LABELS after
# the PROPERTIES it is given (an empty LABELS wins, so labels are lost) and registers a case
# whose filter matches nothing as a pass; this is the small equivalent without both.
#
# provenant_discover_tests(<target> LABELS <label>... [SLOW_LIST <file>])
#   After each build of <target>, lists its cases (--list-test-cases) and writes a ctest script
#   adding "<target>: <case>" for each, labelled <label>... and `slow` if the name matches a
#   line of <file> (an ERE on the whole ctest name; `#` comments).
set(PROVENANT_DOCTEST_ADD_TESTS "${CMAKE_CURRENT_LIST_DIR}/DoctestAddTests.cmake")

function(provenant_discover_tests target)
  cmake_parse_arguments(arg "" "SLOW_LIST;TIMEOUT" "LABELS" ${ARGN})
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 600)
  endif()
  list(JOIN arg_LABELS ":" labels) # a `;` would split the command's argument
  set(tests_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_tests.cmake")
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_include.cmake")
  add_custom_command(TARGET ${target} POST_BUILD
    BYPRODUCTS "${tests_file}"
    COMMAND "${CMAKE_COMMAND}"
            -D "TEST_TARGET=${target}"
            -D "TEST_EXECUTABLE=$<TARGET_FILE:${target}>"
            -D "TEST_WORKING_DIR=${CMAKE_CURRENT_BINARY_DIR}"
            -D "TEST_LABELS=${labels}"
            -D "TEST_SLOW_LIST=${arg_SLOW_LIST}"
            -D "TEST_TIMEOUT=${arg_TIMEOUT}"
            -D "CTEST_FILE=${tests_file}"
            -P "${PROVENANT_DOCTEST_ADD_TESTS}"
    VERBATIM)
  # A binary not built yet shows up as one failing test, not as silence.
  file(WRITE "${include_file}"
    "if(EXISTS \"${tests_file}\")\n"
    "  include(\"${tests_file}\")\n"
    "else()\n"
    "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
  if(arg_SLOW_LIST)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${arg_SLOW_LIST}")
  endif()
endfunction()
