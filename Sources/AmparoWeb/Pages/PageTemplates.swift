import AmparoDomain
import Foundation
import Hummingbird
import HTTPTypes
import Mustache
import NIOCore

/// The Mustache templates of the pages and the static files they link to, read once from
/// the module's resources.
enum PageTemplates {
    /// The text of every `.mustache` file of `Templates/`, by name without extension.
    static let sources: [String: String] = {
        let folder = resourceFolder("Templates")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var sources: [String: String] = [:]
        for name in names where name.hasSuffix(".mustache") {
            let path = folder + "/" + name
            guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
                preconditionFailure("the template \(path) cannot be read")
            }
            sources[String(name.dropLast(".mustache".count))] = text
        }
        return sources
    }()

    /// The templates, parsed once.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in sources.sorted(by: { $0.key < $1.key }) {
            do {
                try library.register(text, named: name)
            } catch {
                // A template that does not parse is a defect of the build, not of any request.
                preconditionFailure("the template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// The files of `Static/` by name (the style sheet), kept in memory: they are small.
    static let staticFiles: [String: [UInt8]] = {
        let folder = resourceFolder("Static")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var files: [String: [UInt8]] = [:]
        for name in names {
            if let data = FileManager.default.contents(atPath: folder + "/" + name) { files[name] = Array(data) }
        }
        return files
    }()

    /// A page: `view` rendered through `template`, with the headers of every page.
    static func response(_ view: some Sendable, template: String, language: Language, status: HTTPResponse.Status) throws -> Response {
        guard let html = library.render(view, withTemplate: template) else { throw PageError.missingTemplate(template) }
        var headers = PageHeaders.html
        headers[.contentLanguage] = language.rawValue
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private static func resourceFolder(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil) else {
            preconditionFailure("the folder \(name) is missing from AmparoWeb's resources")
        }
        return url.path
    }
}
