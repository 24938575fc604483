public import Foundation

/// The state directory (ledger, identity index, connector state): created if missing and made
/// owner-only (0700) at every start, also when it already existed with looser permissions.
public enum StateDirectory {
    public static func prepare(_ directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
    }
}
