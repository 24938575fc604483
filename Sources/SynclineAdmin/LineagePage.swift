import Foundation
import Hummingbird
import NIOCore
import SynclineMapping

/// The lineage map on the admin server: `GET /lineage` (an HTML page around the SVG, refreshed every
/// 5 s), `GET /lineage.svg` and `GET /api/v1/lineage` (JSON), each with the connectors' live input
/// rates, outputs and DLQ shares on the edges.
enum LineagePage {
    static func addRoutes(to router: Router<BasicRequestContext>, backend: any AdminBackend) {
        router.get("lineage") { _, _ -> Response in
            guard let graph = live(backend) else { return AdminServer.text("no lineage map: the hub has no declarations\n", status: .notFound) }
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: document(LineageSVG.render(graph)))))
        }
        router.get("lineage.svg") { _, _ -> Response in
            guard let graph = live(backend) else { return AdminServer.text("no lineage map\n", status: .notFound) }
            return Response(
                status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: LineageSVG.render(graph))))
        }
        router.get("api/v1/lineage") { _, _ -> Response in
            guard let graph = live(backend) else { return AdminServer.text("no lineage map\n", status: .notFound) }
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: graph.json)))
        }
    }

    /// The declared map with the running connectors' figures on its edges.
    static func live(_ backend: any AdminBackend) -> LineageGraph? {
        backend.lineage()?.annotated(with: backend.connectors().map {
            LineageLiveFigures(
                connector: $0.name, recordsPerSecond: $0.recordsPerSecond, consumed: $0.consumed, produced: $0.produced,
                deadLettered: $0.deadLettered)
        })
    }

    static func document(_ svg: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
        <title>Syncline — lineage</title>
        <style>body{font-family:Helvetica,Arial,sans-serif;margin:16px;color:#111827}p{color:#4b5563;font-size:13px}</style>
        </head><body>
        <h1 style="font-size:18px">Data lineage</h1>
        <p>Upstream systems → raw topics → connectors (routes) → canonical and hub topics. Edges carry the live input
        rate, outputs and DLQ share of each connector (refreshed every 5 s). <a href="/">status page</a> ·
        <a href="/lineage.svg">SVG</a> · <a href="/api/v1/lineage">JSON</a></p>
        \(svg)
        </body></html>
        """
    }
}
