// Single-clock helpers for the block tests: inputs set before tick() are taken at its edge.
#pragma once

template <typename M>
void tick(M& m) {
  m.clk_i = 0;
  m.eval();
  m.clk_i = 1;
  m.eval();
}

template <typename M>
void reset(M& m, int cycles = 3) {
  m.rst_ni = 0;
  for (int i = 0; i < cycles; ++i) tick(m);
  m.rst_ni = 1;
}
