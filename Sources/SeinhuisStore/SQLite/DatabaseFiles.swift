#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The database holds people's whereabouts: its file and SQLite's `-wal` and `-shm` beside it are readable by
/// their owner only (0600).
enum DatabaseFiles {
    static let mode: mode_t = 0o600

    /// Before SQLite opens `path` for writing: creates the file 0600 if it does not exist (SQLite then creates the
    /// `-wal` and `-shm` files with the database file's permissions), and takes group and other permissions off
    /// the existing files. Special names (`:memory:`, `file:` URIs, the empty temporary database) are left alone;
    /// a file of another owner is left as it is (SQLite's own open then says what is wrong).
    static func restrict(_ path: String) {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return }
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd >= 0 {
            close(fd)
            return
        }
        for file in [path, path + "-wal", path + "-shm"] {
            var st = stat()
            guard stat(file, &st) == 0, st.st_mode & 0o077 != 0 else { continue }
            _ = chmod(file, st.st_mode & 0o700)
        }
    }
}
