#include "cli/run.hpp"

int main(int argc, char** argv) { return svcdiff::cli::run(argc, argv); }
