/// SwiftPM links executables with `--defsym main=FuzzZIP_main` (so tests can call an
/// executable's main). With `-parse-as-library` no such function exists, so this is
/// it: it hands control to libFuzzer's driver, exactly what libFuzzer's own main does.
@_cdecl("FuzzZIP_main")
public func fuzzerEntry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, { data, size in
        guard let data else { return 0 }
        return fuzz(data, size)
    })
}

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
