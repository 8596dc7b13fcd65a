/**
 * Test-only stand-in for rtl/pkg/ebpf_pkg.sv
 *
 * Used by the muldiv unit test and its synthesis check only while the real package does not
 * exist yet (CMake picks the real one as soon as it appears). It declares just the type the
 * unit needs, with the same name and encoding the core package uses.
 */
package ebpf_pkg;

  // Operations of ebpf_core_muldiv.
  typedef enum logic [2:0] {
    MD_MUL,
    MD_DIV,
    MD_SDIV,
    MD_MOD,
    MD_SMOD
  } md_op_e;

endpackage
