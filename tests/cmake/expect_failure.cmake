# Runs COMMAND (a ;-list) and succeeds only if it exits non-zero and its output matches REGEX:
#   cmake -DCOMMAND="prog;arg1;arg2" -DREGEX="message" -P expect_failure.cmake
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(result EQUAL 0)
  message(FATAL_ERROR "expected a failure, got exit status 0:\n${out}${err}")
endif()
if(NOT "${out}${err}" MATCHES "${REGEX}")
  message(FATAL_ERROR "exit status ${result}, but the output does not match '${REGEX}':\n${out}${err}")
endif()
if(result MATCHES "Segmentation|Abort|Child")
  message(FATAL_ERROR "crashed: ${result}")
endif()
message(STATUS "failed as expected (status ${result}): ${err}")
