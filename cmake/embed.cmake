# Writes OUT, a C++ source defining reuselens::paper_measurements_csv() with
# the contents of IN, so the shipped dataset travels inside the binary.
file(READ "${IN}" CONTENT)
file(WRITE "${OUT}" "// Generated from data/jha2020/measurements.csv by cmake/embed.cmake.\n"
  "#include \"reuselens/correlate.h\"\n"
  "namespace reuselens {\n"
  "const std::string& paper_measurements_csv() {\n"
  "  static const std::string text = R\"reuselens_csv(${CONTENT})reuselens_csv\";\n"
  "  return text;\n}\n}  // namespace reuselens\n")
