# examples.awk - from a plugin's --help text, a help2man include file whose
# EXAMPLES section shows the "Examples:" paragraph verbatim: no filling, no
# hyphenation, each line as typed, so an example can be copied and pasted.
# help2man would otherwise fill the lines, split them across paragraphs and
# hyphenate the ARNs.
found && /^$/ { exit }
found {
	sub(/^  /, "")
	gsub(/\\/, "\\e")
	gsub(/-/, "\\-")
	if ($0 ~ /^[.']/)
		$0 = "\\&" $0
	print
	next
}
/^Examples:$/ {
	found = 1
	print "[=EXAMPLES]"
	print ".PP"
	print ".RS 4"
	print ".nf"
}
END {
	if (found) {
		print ".fi"
		print ".RE"
	}
}
