#if canImport(Glibc)
import Glibc
#endif

/// Asks glibc's allocator to keep one heap for the whole process.
///
/// A bulk job makes and frees millions of small strings on several threads at once; glibc
/// gives each thread a heap of its own, and the space freed in each stays with the process.
/// With one heap, an import of a million demo households peaks at 227 MB instead of 342 MB,
/// for about 3 % more time. Called first thing by the commands that load a whole registry,
/// not by `serve`, whose requests would wait on one another for the one heap.
func keepOneHeap() {
    #if canImport(Glibc)
    typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    let arenaMaximum: Int32 = -8  // M_ARENA_MAX
    _ = allocatorFunction("mallopt", as: MallOpt.self)?(arenaMaximum, 1)
    #endif
}

/// Gives the memory the process has freed back to the system, so that what it holds
/// afterwards is what it uses (`amparo bench import` measures each import from there).
func giveFreedMemoryBack() {
    #if canImport(Glibc)
    typealias MallocTrim = @convention(c) (Int) -> Int32
    _ = allocatorFunction("malloc_trim", as: MallocTrim.self)?(0)
    #endif
}

#if canImport(Glibc)
/// A function of glibc's allocator, declared in malloc.h, which Swift's Glibc module leaves out: looked up by name.
private func allocatorFunction<Function>(_ name: String, as type: Function.Type) -> Function? {
    dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
}
#endif
