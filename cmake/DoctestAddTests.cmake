# Run at build time by provenant_discover_tests (cmake/DoctestTests.cmake): lists a doctest
# binary's test cases and writes the ctest script that registers one test per case.
execute_process(
  COMMAND "${TEST_EXECUTABLE}" --list-test-cases --no-version
  OUTPUT_VARIABLE output
  RESULT_VARIABLE result
  WORKING_DIRECTORY "${TEST_WORKING_DIR}")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "listing the test cases of ${TEST_EXECUTABLE} failed (${result}):\n${output}")
endif()

set(slow_patterns "")
if(TEST_SLOW_LIST AND EXISTS "${TEST_SLOW_LIST}")
  file(STRINGS "${TEST_SLOW_LIST}" lines)
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "#.*" "" line "${line}")
    string(STRIP "${line}" line)
    if(line)
      list(APPEND slow_patterns "${line}")
    endif()
  endforeach()
endif()

# Bracket arguments keep any character of a case name literal in the generated script.
function(quoted out value)
  set(${out} "[==[${value}]==]" PARENT_SCOPE)
endfunction()

set(script "")
set(count 0)
# A case name may hold a `;` (CMake's list separator): carry it through the split as \x01.
string(ASCII 1 semicolon)
string(REPLACE ";" "${semicolon}" output "${output}")
string(REPLACE "\n" ";" output "${output}")
foreach(line IN LISTS output)
  string(REPLACE "${semicolon}" ";" line "${line}")
  if(line STREQUAL "" OR line MATCHES "^\\[doctest\\]" OR line MATCHES "^=+$")
    continue()
  endif()
  set(name "${TEST_TARGET}: ${line}")
  string(REPLACE ":" ";" labels "${TEST_LABELS}")
  foreach(pattern IN LISTS slow_patterns)
    if(name MATCHES "${pattern}")
      list(APPEND labels slow)
      break()
    endif()
  endforeach()
  # doctest's filter: `,` separates filters and `\` escapes (both escaped here); `*` and `?`
  # are wildcards (a name with them may match more cases, never fewer).
  string(REPLACE "\\" "\\\\" filter "${line}")
  string(REPLACE "," "\\," filter "${filter}")
  quoted(qname "${name}")
  quoted(qfilter "--test-case=${filter}")
  string(APPEND script
    "add_test(${qname} \"${TEST_EXECUTABLE}\" ${qfilter})\n"
    "set_tests_properties(${qname} PROPERTIES WORKING_DIRECTORY \"${TEST_WORKING_DIR}\"\n"
    "  LABELS \"${labels}\" TIMEOUT ${TEST_TIMEOUT}\n"
    # A filter that selects no case must not pass as an empty run.
    "  FAIL_REGULAR_EXPRESSION \"test cases: +0 [|]\")\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "${TEST_EXECUTABLE} lists no test cases")
endif()
file(WRITE "${CTEST_FILE}" "${script}")
