# Runs TOOL with ARGS once for every method that `TOOL --list-methods KIND` names (the registry),
# as `TOOL ARGS FLAG <name>`, and checks that each succeeds and prints REGEX:
#   cmake -DTOOL=prog -DKIND=losses -DFLAG=--loss -DARGS="a;b" -DREGEX=text [-DSKIP="m1;m2"] -P every_method.cmake
# SKIP names methods that need other data (e.g. categorical columns) and have tests of their own.
execute_process(COMMAND "${TOOL}" --list-methods "${KIND}" RESULT_VARIABLE result OUTPUT_VARIABLE names
                ERROR_VARIABLE err)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "--list-methods ${KIND} failed (${result}): ${err}")
endif()
string(REGEX REPLACE "\n$" "" names "${names}")
string(REPLACE "\n" ";" names "${names}")
list(LENGTH names count)
if(count EQUAL 0)
  message(FATAL_ERROR "--list-methods ${KIND} named no method")
endif()
foreach(name IN LISTS names)
  list(FIND SKIP "${name}" skipped)
  if(NOT skipped EQUAL -1)
    message(STATUS "${FLAG} ${name}: skipped (tested on its own data)")
    continue()
  endif()
  execute_process(COMMAND "${TOOL}" ${ARGS} ${FLAG} "${name}" RESULT_VARIABLE result OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${FLAG} ${name} failed (${result}):\n${out}${err}")
  endif()
  if(NOT "${out}${err}" MATCHES "${REGEX}")
    message(FATAL_ERROR "${FLAG} ${name}: the output does not match '${REGEX}':\n${out}${err}")
  endif()
  message(STATUS "${FLAG} ${name}: ok")
endforeach()
message(STATUS "all ${count} ${KIND} ran: ${names}")
