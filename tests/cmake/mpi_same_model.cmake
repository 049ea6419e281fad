# Distributed standardisation gives every column its own scale, as one process does: on data with a
# nanosecond timestamp (~1.7e18) and a column of magnitude 1e200 beside the two small features that
# carry the signal, imbalance-train under mpiexec -n 2 scores what it scores in one process (issue
# 29: a shared fixed-point grid once left the small columns unstandardised, balanced accuracy 0.50
# against 0.92; above ~1e155 its bound overflowed).
# MPIEXEC, COMMAND (the tool and its arguments), WORK_DIR.
set(ENV{OMPI_ALLOW_RUN_AS_ROOT} 1)
set(ENV{OMPI_ALLOW_RUN_AS_ROOT_CONFIRM} 1)
set(ENV{OMP_NUM_THREADS} 1)
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(COMMAND ${COMMAND} --json "${WORK_DIR}/one.json" RESULT_VARIABLE status ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "one process failed (${status}): ${err}")
endif()
execute_process(COMMAND ${MPIEXEC} -n 2 --oversubscribe ${COMMAND} --distributed --json "${WORK_DIR}/two.json"
                RESULT_VARIABLE status ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "mpiexec -n 2 failed (${status}): ${err}")
endif()
file(READ "${WORK_DIR}/one.json" one)
file(READ "${WORK_DIR}/two.json" two)
string(JSON one_ba GET "${one}" balanced_accuracy)
string(JSON two_ba GET "${two}" balanced_accuracy)
message(STATUS "balanced accuracy: one process ${one_ba}, two ranks ${two_ba}")
# In per mille (CMake's math takes integers); "0.9234" -> 923, "1" -> 1000.
function(per_mille value out)
  string(REGEX MATCH "^([01])(\\.([0-9]*))?" match "${value}")
  set(fraction "${CMAKE_MATCH_3}000")
  string(SUBSTRING "${fraction}" 0 3 fraction)
  math(EXPR result "${CMAKE_MATCH_1} * 1000 + 1${fraction} - 1000")
  set(${out} ${result} PARENT_SCOPE)
endfunction()
per_mille("${one_ba}" one_pm)
per_mille("${two_ba}" two_pm)
math(EXPR gap "${one_pm} - ${two_pm}")
if(gap LESS 0)
  math(EXPR gap "-${gap}")
endif()
if(two_pm LESS 800 OR gap GREATER 20)
  message(FATAL_ERROR "two ranks score ${two_ba}, one process ${one_ba}: not the same model")
endif()
