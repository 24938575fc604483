extension MapStage {
    /// The rule's conversion, with the record's own time zone when the rule reads one
    /// (`timezone: {from: tz}`); a zone field that names no zone rejects the record.
    func conversion(_ rule: CompiledRule, for document: JSONValue, _ compiled: CompiledRoute) throws(Rejection) -> FieldConversion? {
        guard let path = rule.zoneFrom, var conversion = rule.conversion,
              let value = path.lookup(in: document), !value.isEmptyValue
        else { return rule.conversion }
        guard let text = FieldConversion.scalarText(value), let zone = TimestampParser.Zone(text) else {
            throw failure(compiled, rule, .invalidTimestamp, "unknown time zone \(value.shortDisplay) in \(path.text) (use an IANA name or an offset like +08:00)")
        }
        conversion.timestamps = TimestampParser(defaultZone: zone)
        return conversion
    }
}
