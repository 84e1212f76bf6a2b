import Hummingbird

/// A request's body, read whole up to a limit: the actions, the review and the survey endpoints read theirs so.
enum RequestBody {
    /// The body, or `HTTPAPI.Failure` 413 when it is larger than `limit` bytes.
    static func read(_ request: Request, limit: Int) async throws -> ByteBuffer {
        var buffer = ByteBuffer()
        for try await var chunk in request.body {
            guard buffer.readableBytes + chunk.readableBytes <= limit else {
                throw HTTPAPI.Failure(.contentTooLarge, "the body is larger than \(limit) bytes")
            }
            buffer.writeBuffer(&chunk)
        }
        return buffer
    }
}
