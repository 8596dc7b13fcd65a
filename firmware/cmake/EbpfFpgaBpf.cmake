# Building BPF objects with clang: `clang -O2 -g -target bpf -mcpu=v3`. Shared by firmware/
# and by tests that need purpose-built objects (tests/elf/objects/).
#
#   ebpf_fpga_bpf_object(OUT_VAR SOURCE OUTPUT_DIR [FLAGS flag...] [INCLUDES dir...])
#
# adds a custom command that compiles SOURCE into OUTPUT_DIR/<name>.o (name = SOURCE without
# .bpf.c) and sets OUT_VAR to that path. Header dependencies are tracked through a depfile.
# EBPF_FPGA_BPF_CLANG is empty when no clang was found; callers then skip their objects.
include_guard(GLOBAL)

find_program(EBPF_FPGA_BPF_CLANG NAMES clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14
             DOC "clang with the BPF target, for firmware/ and test objects")

# (Everything else is set inside the function: variables set here would be visible only in
# the directory that included this file first, because of the include guard.)
function(ebpf_fpga_bpf_object out_var source output_dir)
  cmake_parse_arguments(PARSE_ARGV 3 ARG "" "" "FLAGS;INCLUDES")
  set(cflags -O2 -g -target bpf -mcpu=v3 -Wall -Wextra)
  if(EBPF_FPGA_WERROR)
    list(APPEND cflags -Werror)
  endif()
  # The multiarch folder holds asm/types.h, which linux/bpf.h includes; clang -target bpf
  # does not search it by itself.
  set(system_includes)
  if(CMAKE_LIBRARY_ARCHITECTURE AND EXISTS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
    list(APPEND system_includes /usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
  endif()
  get_filename_component(file_name ${source} NAME)
  string(REGEX REPLACE "\\.bpf\\.c$|\\.c$" "" base ${file_name})
  set(output ${output_dir}/${base}.o)
  set(include_flags)
  foreach(dir IN LISTS ARG_INCLUDES)
    list(APPEND include_flags -I${dir})
  endforeach()
  foreach(dir IN LISTS system_includes)
    list(APPEND include_flags -idirafter ${dir})
  endforeach()
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${output_dir}
    COMMAND ${EBPF_FPGA_BPF_CLANG} ${cflags} ${ARG_FLAGS} ${include_flags}
            -MD -MF ${output}.d -c ${source} -o ${output}
    DEPENDS ${source}
    DEPFILE ${output}.d
    COMMENT "clang -target bpf ${file_name}"
    COMMAND_EXPAND_LISTS
    VERBATIM)
  set(${out_var} ${output} PARENT_SCOPE)
endfunction()
