# Runs GEN and compares its output with the checked-in file DOC; fails with the command to
# regenerate when they differ.
execute_process(COMMAND ${GEN} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${GEN} failed with exit code ${rc}")
endif()
file(READ ${DOC} current)
if(NOT out STREQUAL current)
  message(FATAL_ERROR "${DOC} is out of date: regenerate it with\n  ${GEN} > ${DOC}")
endif()
