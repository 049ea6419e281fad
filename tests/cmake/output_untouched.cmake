# Copies INPUT to WORK_DIR/in_place.csv, runs COMMAND (a ;-list) with that file as both input and
# output plus ARGS that make it fail, and checks that the run failed, that the file is byte for byte
# what it was, and that no temporary file is left beside it; then runs it in place with SUCCESS_ARGS
# and checks that the file was replaced:
#   cmake -DCOMMAND=prog -DINPUT=file.csv -DARGS="a;b" -DSUCCESS_ARGS="c;d" -DWORK_DIR=dir -P output_untouched.cmake
set(dir "${WORK_DIR}/output_untouched")
file(REMOVE_RECURSE "${dir}")
file(MAKE_DIRECTORY "${dir}")
set(path "${dir}/in_place.csv")
file(COPY_FILE "${INPUT}" "${path}")
file(SHA256 "${path}" before)
execute_process(COMMAND ${COMMAND} -i "${path}" -o "${path}" ${ARGS} RESULT_VARIABLE result OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(result EQUAL 0)
  message(FATAL_ERROR "expected a failure, got exit status 0:\n${out}${err}")
endif()
file(SHA256 "${path}" after)
if(NOT before STREQUAL after)
  message(FATAL_ERROR "the failed run changed ${path}:\n${err}")
endif()
file(GLOB leftovers "${dir}/*")
list(LENGTH leftovers count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "files left behind: ${leftovers}")
endif()
# And a successful run in place replaces the file with the resampled data.
execute_process(COMMAND ${COMMAND} -i "${path}" -o "${path}" ${SUCCESS_ARGS} RESULT_VARIABLE result
                ERROR_VARIABLE err OUTPUT_QUIET)
file(SHA256 "${path}" replaced)
if(NOT result EQUAL 0 OR replaced STREQUAL before)
  message(FATAL_ERROR "the in-place run did not replace the file (status ${result}): ${err}")
endif()
message(STATUS "the failed run left the input as it was; the successful one replaced it")
