#include <cstdio>

#include "reuselens/reuselens.h"

int main() {
  const reuselens::Analysis a = reuselens::analyze_model("zoo:alexnet", {}, {});
  std::printf("%s DI=%.2f\n", a.model.c_str(), a.total.di);
  return 0;
}
