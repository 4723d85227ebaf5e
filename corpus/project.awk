# project.awk - acmextract's JSON Lines onto the key fields of the
# NAME.fields files: one "key: value" line per field, a blank line
# between records.  Strings keep their JSON escapes, arrays stay JSON
# text, so that a difference shows exactly what the tool printed.
#
# It relies on what acmextract guarantees: one compact object per line,
# fields in a fixed order, and no key below listed twice in a record.

# The JSON text of KEY's value in LINE, string quotes off.
function value(line, key,    i, j, s, c, esc, instr, depth) {
	i = index(line, "\"" key "\":")
	if (i == 0)
		return "(absent)"
	s = substr(line, i + length(key) + 3)
	c = substr(s, 1, 1)
	if (c == "\"") {
		for (j = 2; j <= length(s); j++) {
			c = substr(s, j, 1)
			if (esc)
				esc = 0
			else if (c == "\\")
				esc = 1
			else if (c == "\"")
				return substr(s, 2, j - 2)
		}
		return "(unterminated)"
	}
	if (c == "[") {
		for (j = 1; j <= length(s); j++) {
			c = substr(s, j, 1)
			if (esc)
				esc = 0
			else if (instr && c == "\\")
				esc = 1
			else if (c == "\"")
				instr = !instr
			else if (!instr && c == "[")
				depth++
			else if (!instr && c == "]" && --depth == 0)
				return substr(s, 1, j)
		}
		return "(unterminated)"
	}
	match(s, /^[^,}]*/)
	return substr(s, 1, RLENGTH)
}

BEGIN {
	n = split("template domain requested_domain account_id region " \
	    "certificate_id certificate_arn approval_url approval_host " \
	    "code context subject copy path entry index offset layers " \
	    "sha256", keys, " ")
}

{
	if (NR > 1)
		print ""
	for (k = 1; k <= n; k++)
		print keys[k] ": " value($0, keys[k])
}
