# Verilator lint of a board top: cmake -DVERILATOR=... -DROOT=... -DFILELIST=... -DTOP=... -P
# The file list is flattened by flatten_filelist.py (later files replace generic models).
# The RTL is that of the last commit: lint what the board builds synthesize.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
# rtl/ as committed (HEAD), as the board builds take it (see flatten_filelist.py).
set(_snap ${CMAKE_CURRENT_BINARY_DIR}/lint_src_${TOP})
file(REMOVE_RECURSE ${_snap})
execute_process(COMMAND ${Python3_EXECUTABLE} ${ROOT}/boards/common/flatten_filelist.py
                        --rtl-from-head ${_snap} ${ROOT} ${ROOT}/${FILELIST}
                OUTPUT_VARIABLE _out RESULT_VARIABLE _rc ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "flatten_filelist: ${_err}")
endif()
string(REPLACE "\n" ";" _srcs "${_out}")
list(FILTER _srcs EXCLUDE REGEX "^$")
execute_process(COMMAND ${VERILATOR} --lint-only -Wall --top-module ${TOP} ${_srcs}
                RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "verilator --lint-only -Wall ${TOP}: status ${_rc}")
endif()
