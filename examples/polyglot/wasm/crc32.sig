# export signatures of crc32.wasm (custom section "osvm.signatures")
crc32 = func(data: bytes) -> u32
main = func() -> s32
