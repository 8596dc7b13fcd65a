# offload_install: installs the host library (component ebpf_fpga_dev) into a temporary
# prefix, builds host/examples out of tree against it with find_package(ebpf_fpga) and with
# pkg-config, and runs both builds of the example on interp: with the firewall corpus.
# cmake -DBUILD=... -DSRC=... -DWORK=... -DFIRMWARE=... -P install_test.cmake
foreach(v BUILD SRC WORK FIRMWARE)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "install_test.cmake: -D${v}= is required")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(prefix ${WORK}/prefix)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD} --component ebpf_fpga_dev --prefix ${prefix})
foreach(f include/ebpf_fpga/offload.h include/ebpf_fpga/device.h)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${prefix}/${f}")
  endif()
endforeach()
file(GLOB_RECURSE pc ${prefix}/*/ebpf-fpga.pc)
file(GLOB_RECURSE config ${prefix}/*/ebpf_fpgaConfig.cmake)
if(NOT pc OR NOT config)
  message(FATAL_ERROR "no ebpf-fpga.pc or ebpf_fpgaConfig.cmake under ${prefix}")
endif()

# 1. find_package
run(${CMAKE_COMMAND} -S ${SRC}/host/examples -B ${WORK}/cmake-build -G Ninja
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${WORK}/cmake-build)

# 2. pkg-config
get_filename_component(pcdir ${pc} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pcdir})
run(pkg-config --cflags --libs ebpf-fpga)
string(STRIP "${last_out}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(c++ ${SRC}/host/examples/blocklist.cpp -o ${WORK}/blocklist-pc ${flags})

# Both run, and agree with each other.
run(${WORK}/cmake-build/blocklist interp: ${FIRMWARE}/firewall.o ${FIRMWARE}/pcap/firewall.pcap)
set(a "${last_out}")
run(${WORK}/blocklist-pc interp: ${FIRMWARE}/firewall.o ${FIRMWARE}/pcap/firewall.pcap)
set(b "${last_out}")
if(NOT a MATCHES "DNS -> XDP_DROP" OR NOT a MATCHES "18 packets through")
  message(FATAL_ERROR "unexpected output:\n${a}")
endif()
if(NOT a STREQUAL b)
  message(FATAL_ERROR "the two builds differ:\n${a}\n---\n${b}")
endif()
message(STATUS "installed to ${prefix}; example built with find_package and pkg-config:\n${a}")
file(REMOVE_RECURSE ${WORK})
