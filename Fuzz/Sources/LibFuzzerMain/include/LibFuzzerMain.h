// Entry point of every fuzz target. SwiftPM links an executable with
// `main=<Target>_main`; Package.swift defines `<Target>_main` as this, which
// hands the target's LLVMFuzzerTestOneInput to libFuzzer's driver.
int baocao_fuzz_main(int argc, char **argv);
