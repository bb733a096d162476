/*
 * load_test.cpp
 *	  Tests of the streaming splitter (json_stream.h) and `pathx load`.
 *
 * The splitter cases need nothing: they feed strings through readers that
 * return a few bytes at a time, so every chunk boundary is crossed inside
 * strings, escapes and CRLF pairs, and auto's look-ahead crosses them too.
 * The load cases run the built pathx against a database of their own in
 * the harness cluster (PXTEST_CONNINFO; without it they fail and say so):
 * NDJSON, a JSON array, --format and auto's refusal of a one-line array,
 * an invalid line that must stop the load with nothing loaded,
 * --skip-invalid and --rejects, a CHECK constraint named by the input
 * position of the document it refuses, an empty file, and a ~200 MB file
 * loaded with a peak resident size far below the file size.  Rejects files
 * are parsed with nlohmann::json.
 */
#include "cli_test_util.h"
#include "json_stream.h"
#include "loader.h"
#include "orders_gen.h"
#include "../integration/test_database.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace
{

struct Doc
{
	std::string text;
	long		line;
	long		element;
	long		document;
	std::int64_t offset;
};

using pathx::FormatChoice;

/* Splits `input`, reading `max_read` bytes per call into a small buffer. */
std::vector<Doc>
Split(const std::string &input, std::size_t max_read, pathx::StreamFormat *format = nullptr,
	  FormatChoice choice = FormatChoice::Auto, std::size_t probe_limit = pathx::kDefaultProbeLimit)
{
	pathx::JsonDocumentSplitter s(pathx::StringReader(input, max_read), 16, choice, probe_limit);
	std::vector<Doc> out;
	std::string doc;
	pathx::DocumentPosition pos;

	while (s.Next(doc, pos))
		out.push_back(Doc{doc, pos.line, pos.element, pos.document, pos.offset});
	if (format != nullptr)
		*format = s.Format();
	return out;
}

/*
 * The same split at several read sizes must give the same documents, and
 * each document's text must sit at its byte offset in the input.
 */
std::vector<Doc>
SplitEverywhere(const std::string &input, pathx::StreamFormat *format = nullptr,
				FormatChoice choice = FormatChoice::Auto)
{
	std::vector<Doc> ref = Split(input, 1 << 20, format, choice);

	for (size_t i = 0; i < ref.size(); i++)
	{
		BOOST_TEST(ref[i].document == static_cast<long>(i + 1));
		BOOST_TEST_REQUIRE(ref[i].offset >= 0);
		BOOST_TEST(input.compare(static_cast<size_t>(ref[i].offset), ref[i].text.size(), ref[i].text) == 0,
				   "document " << i + 1 << " at byte offset " << ref[i].offset);
	}
	for (std::size_t max_read : {1, 2, 3, 7, 16})
	{
		std::vector<Doc> other = Split(input, max_read, nullptr, choice);

		BOOST_TEST_REQUIRE(other.size() == ref.size());
		for (size_t i = 0; i < ref.size(); i++)
		{
			BOOST_TEST(other[i].text == ref[i].text);
			BOOST_TEST(other[i].line == ref[i].line);
			BOOST_TEST(other[i].element == ref[i].element);
			BOOST_TEST(other[i].document == ref[i].document);
			BOOST_TEST(other[i].offset == ref[i].offset);
		}
	}
	return ref;
}

/* The JsonStreamError `input` raises (message and kind), or "" if none. */
std::string
SplitError(const std::string &input, FormatChoice choice = FormatChoice::Auto,
		   pathx::JsonStreamError::Kind *kind = nullptr, std::size_t probe_limit = pathx::kDefaultProbeLimit)
{
	for (std::size_t max_read : {1, 3, 1 << 20})
	{
		try
		{
			Split(input, max_read, nullptr, choice, probe_limit);
		}
		catch (const pathx::JsonStreamError &e)
		{
			if (kind != nullptr)
				*kind = e.GetKind();
			if (max_read == (1 << 20))
				return e.what();
			continue;
		}
		return "";
	}
	return "";
}

void
WriteFile(const std::string &path, const std::string &text)
{
	std::ofstream out(path, std::ios::binary);

	out << text;
	BOOST_REQUIRE(out.good());
}

long
Count(pqxx::connection &c, const std::string &sql)
{
	pqxx::nontransaction n(c);

	return n.exec(sql)[0][0].as<long>();
}

bool
TableExists(pqxx::connection &c, const std::string &name)
{
	pqxx::nontransaction n(c);

	return !n.exec_params("SELECT to_regclass($1)", name)[0][0].is_null();
}

/*
 * Runs argv with standard input from `input` ("" keeps ours) and its
 * output in `output_file` ("" discards it); returns the exit status and
 * sets `peak_kb` to the child's own peak resident size (wait4's rusage
 * covers that child only, unlike RUSAGE_CHILDREN, which would also count
 * every compiler and server the other tests ran).
 */
int
RunMeasured(const std::vector<std::string> &argv, const std::string &input,
			const std::string &output_file, long &peak_kb)
{
	std::vector<char *> args;

	for (const std::string &a : argv)
		args.push_back(const_cast<char *>(a.c_str()));
	args.push_back(nullptr);
	pid_t		pid = fork();

	if (pid == 0)
	{
		int			out = open(output_file.empty() ? "/dev/null" : output_file.c_str(),
							   O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (out < 0)
			_exit(126);
		if (!input.empty())
		{
			int			in = open(input.c_str(), O_RDONLY);

			if (in < 0)
				_exit(126);
			dup2(in, 0);
		}
		dup2(out, 1);
		dup2(out, 2);
		execv(args[0], args.data());
		_exit(127);
	}
	int			status = 0;
	struct rusage ru;

	peak_kb = 0;
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
		return -1;
	peak_kb = ru.ru_maxrss;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string
ReadFile(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);

	return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}							/* namespace */

BOOST_AUTO_TEST_SUITE(load_splitter)

BOOST_AUTO_TEST_CASE(ndjson_blank_lines_crlf_and_no_final_newline)
{
	pathx::StreamFormat f;
	std::vector<Doc> d = SplitEverywhere("\n  \n{\"a\": 1}\r\n\r\n{\"b\": \"x\\\"y\"}\n \t\n[1, 2]\r\n{\"c\": 3}", &f);

	BOOST_TEST((f == pathx::StreamFormat::Ndjson));
	BOOST_TEST_REQUIRE(d.size() == 4u);
	BOOST_TEST(d[0].text == "{\"a\": 1}");
	BOOST_TEST(d[0].line == 3);
	BOOST_TEST(d[0].offset == 4);
	BOOST_TEST(d[1].text == "{\"b\": \"x\\\"y\"}");
	BOOST_TEST(d[1].line == 5);
	BOOST_TEST(d[2].text == "[1, 2]");
	BOOST_TEST(d[2].line == 7);
	BOOST_TEST(d[3].text == "{\"c\": 3}");
	BOOST_TEST(d[3].line == 8);
	BOOST_TEST(d[3].element == 0);
	BOOST_TEST(d[3].document == 4);
}

BOOST_AUTO_TEST_CASE(ndjson_invalid_line_is_handed_on_alone)
{
	/* an unterminated string must not swallow the next line */
	std::vector<Doc> d = SplitEverywhere("{\"a\": \"oops}\n{\"b\": 2}\n");

	BOOST_TEST_REQUIRE(d.size() == 2u);
	BOOST_TEST(d[0].text == "{\"a\": \"oops}");
	BOOST_TEST(d[1].text == "{\"b\": 2}");
	BOOST_TEST(d[1].line == 2);
}

BOOST_AUTO_TEST_CASE(array_with_nested_arrays_brackets_in_strings_and_escapes)
{
	std::string input = "\xEF\xBB\xBF  [\r\n"
		"  {\"s\": \"a,]}[{\\\"\", \"t\": [1, [2, {\"u\": \"\\\\\"}]]},\n"
		"  [[], {}],\n"
		"  \"str, with ] comma\" , 42 ,\n"
		"\n"
		"  {\"multi\":\n   [1,\n    2]}\n"
		"]  \n\n";
	pathx::StreamFormat f;
	std::vector<Doc> d = SplitEverywhere(input, &f);

	BOOST_TEST((f == pathx::StreamFormat::Array));
	BOOST_TEST_REQUIRE(d.size() == 5u);
	BOOST_TEST(d[0].text == "{\"s\": \"a,]}[{\\\"\", \"t\": [1, [2, {\"u\": \"\\\\\"}]]}");
	BOOST_TEST(d[0].line == 2);
	BOOST_TEST(d[0].element == 1);
	BOOST_TEST(d[1].text == "[[], {}]");
	BOOST_TEST(d[1].line == 3);
	BOOST_TEST(d[2].text == "\"str, with ] comma\"");
	BOOST_TEST(d[3].text == "42");
	BOOST_TEST(d[3].line == 4);
	BOOST_TEST(d[3].element == 4);
	BOOST_TEST(d[4].text == "{\"multi\":\n   [1,\n    2]}");
	BOOST_TEST(d[4].line == 6);
	BOOST_TEST(d[4].element == 5);
	/* offsets count the byte order mark: the bytes of the file */
	BOOST_TEST(d[0].offset == 10);

	/* the same with the format forced */
	std::vector<Doc> forced = SplitEverywhere(input, &f, FormatChoice::Array);

	BOOST_TEST((f == pathx::StreamFormat::Array));
	BOOST_TEST(forced.size() == 5u);
}

BOOST_AUTO_TEST_CASE(empty_inputs)
{
	pathx::StreamFormat f;

	BOOST_TEST(SplitEverywhere("", &f).empty());
	BOOST_TEST((f == pathx::StreamFormat::Empty));
	BOOST_TEST(SplitEverywhere(" \n\r\n\t ", &f).empty());
	BOOST_TEST((f == pathx::StreamFormat::Empty));
	BOOST_TEST(SplitEverywhere(" [ \n ] \n", &f).empty());
	BOOST_TEST((f == pathx::StreamFormat::Array));
	BOOST_TEST(SplitEverywhere(" \n", &f, FormatChoice::Array).empty());
	BOOST_TEST((f == pathx::StreamFormat::Empty));
	BOOST_TEST(SplitEverywhere("[]", &f, FormatChoice::Array).empty());
	BOOST_TEST((f == pathx::StreamFormat::Array));
}

BOOST_AUTO_TEST_CASE(empty_elements_go_to_the_server)
{
	/* [1,,2] and a trailing comma: the server rejects "" in its own words */
	std::vector<Doc> d = SplitEverywhere("[1,,2, ]", nullptr, FormatChoice::Array);

	BOOST_TEST_REQUIRE(d.size() == 4u);
	BOOST_TEST(d[1].text == "");
	BOOST_TEST(d[3].text == "");
}

BOOST_AUTO_TEST_CASE(broken_structure_is_reported_with_its_place)
{
	std::string e = SplitError("[{\"a\": 1},\n {\"b\": [2, 3}\n]");

	BOOST_TEST(e.find("'}' at line 2 closes a '['") != std::string::npos, e);
	BOOST_TEST(e.find("array element 2") != std::string::npos, e);

	e = SplitError("[{\"a\": 1},\n {\"b\": \"trunc");
	BOOST_TEST(e.find("truncated") != std::string::npos, e);
	BOOST_TEST(e.find("inside a string") != std::string::npos, e);
	BOOST_TEST(e.find("element 2 (starting at line 2)") != std::string::npos, e);

	e = SplitError("[1, 2,\n");
	BOOST_TEST(e.find("truncated") != std::string::npos, e);

	e = SplitError("[1, 2]\n[3]\n", FormatChoice::Array);
	BOOST_TEST(e.find("after the end of the JSON array, at line 2") != std::string::npos, e);

	e = SplitError("[1, 2}]", FormatChoice::Array);
	BOOST_TEST(e.find("closes nothing") != std::string::npos, e);
}

BOOST_AUTO_TEST_CASE(auto_refuses_a_one_line_array)
{
	pathx::JsonStreamError::Kind kind = pathx::JsonStreamError::kStructure;

	/* one row or two: both readings are valid, so auto does not guess */
	std::string e = SplitError("[1,2]\n", FormatChoice::Auto, &kind);

	BOOST_TEST((kind == pathx::JsonStreamError::kAmbiguous));
	BOOST_TEST(e.find("one NDJSON document (1 row)") != std::string::npos, e);
	BOOST_TEST(e.find("a JSON array of 2 elements (2 rows)") != std::string::npos, e);

	/* brackets and commas in strings, nested arrays, blank lines after it, no newline */
	e = SplitError("\xEF\xBB\xBF \t[{\"a\": \"],[\"}, [3, 4], \"x\\\"]\"]  \r\n \n\n", FormatChoice::Auto, &kind);
	BOOST_TEST((kind == pathx::JsonStreamError::kAmbiguous));
	BOOST_TEST(e.find("array of 3 elements") != std::string::npos, e);
	BOOST_TEST((SplitError("[]", FormatChoice::Auto, &kind).find("array of 0 elements") != std::string::npos));
	BOOST_TEST((kind == pathx::JsonStreamError::kAmbiguous));

	/* the choice made: one line, one document; or the elements */
	std::vector<Doc> d = SplitEverywhere("[1,2]\n", nullptr, FormatChoice::Ndjson);

	BOOST_TEST_REQUIRE(d.size() == 1u);
	BOOST_TEST(d[0].text == "[1,2]");
	BOOST_TEST(d[0].element == 0);
	d = SplitEverywhere("[1,2]\n", nullptr, FormatChoice::Array);
	BOOST_TEST_REQUIRE(d.size() == 2u);
	BOOST_TEST(d[1].text == "2");
	BOOST_TEST(d[1].element == 2);
	BOOST_TEST(d[1].offset == 3);

	/* a first line longer than the look-ahead may go: refused, not guessed */
	std::string long_line = "[" + std::string(200, ' ') + "1]\n[2]\n";

	e = SplitError(long_line, FormatChoice::Auto, &kind, 64);
	BOOST_TEST((kind == pathx::JsonStreamError::kAmbiguous));
	BOOST_TEST(e.find("too far to look ahead") != std::string::npos, e);
	BOOST_TEST(Split(long_line, 7, nullptr, FormatChoice::Auto, 1024).size() == 2u);

	/* --format array on NDJSON */
	e = SplitError("{\"a\": 1}\n", FormatChoice::Array, &kind);
	BOOST_TEST((kind == pathx::JsonStreamError::kNotAnArray));
	BOOST_TEST(e.find("is '{', not '['") != std::string::npos, e);
}

BOOST_AUTO_TEST_CASE(auto_reads_ndjson_of_arrays_and_multi_line_arrays)
{
	pathx::StreamFormat f;

	/* an array closed on its first line with more after it: NDJSON */
	std::vector<Doc> d = SplitEverywhere("[1, [2, \"]\"]]\r\n\n[3]\n{\"a\": [4]}\n", &f);

	BOOST_TEST((f == pathx::StreamFormat::Ndjson));
	BOOST_TEST_REQUIRE(d.size() == 3u);
	BOOST_TEST(d[0].text == "[1, [2, \"]\"]]");
	BOOST_TEST(d[1].text == "[3]");
	BOOST_TEST(d[1].line == 3);
	BOOST_TEST(d[2].document == 3);
	d = SplitEverywhere("[1] [2]\n", &f);
	BOOST_TEST((f == pathx::StreamFormat::Ndjson));
	BOOST_TEST(d.size() == 1u);

	/* still open at the end of the first line: an array */
	d = SplitEverywhere("[{\"a\": 1},\n {\"a\": 2}]\n", &f);
	BOOST_TEST((f == pathx::StreamFormat::Array));
	BOOST_TEST_REQUIRE(d.size() == 2u);
	BOOST_TEST(d[1].text == "{\"a\": 2}");
	BOOST_TEST(d[1].line == 2);
	BOOST_TEST(d[1].offset == 12);
	/* the input ends inside the array: the array reader says it is truncated */
	BOOST_TEST((SplitError("[1, 2").find("truncated") != std::string::npos));
}

BOOST_AUTO_TEST_CASE(positions_are_described_with_document_line_and_offset)
{
	pathx::DocumentPosition p;

	p.document = 12;
	p.line = 14;
	p.offset = 3456;
	BOOST_TEST(pathx::DescribePosition(p) == "document 12 (line 14, byte offset 3456)");
	p.element = 12;
	BOOST_TEST(pathx::DescribePosition(p) == "array element 12 (line 14, byte offset 3456)");
	pathx::DocumentPosition gen;

	gen.document = 5;
	BOOST_TEST(pathx::DescribePosition(gen) == "document 5");
}

BOOST_AUTO_TEST_CASE(reject_records_are_json_with_exact_text)
{
	pathx::DocumentPosition p;

	p.document = 7;
	p.line = 9;
	p.offset = 812;
	nlohmann::json r = nlohmann::json::parse(pathx::RejectRecord(p, "{\"a\": \"x\ty\"\n", "22P02", "bad \"token\""));

	BOOST_TEST(r["document"].get<long>() == 7);
	BOOST_TEST(r["line"].get<long>() == 9);
	BOOST_TEST(r["byte_offset"].get<long>() == 812);
	BOOST_TEST(r["sqlstate"].get<std::string>() == "22P02");
	BOOST_TEST(r["message"].get<std::string>() == "bad \"token\"");
	BOOST_TEST(r["text"].get<std::string>() == "{\"a\": \"x\ty\"\n");
	BOOST_TEST(!r.contains("element"));
	BOOST_TEST(!r.contains("text_hex"));

	/* not UTF-8: still JSON, and the bytes exact in text_hex */
	std::string latin1 = "{\"name\": \"Jos\xE9\"}";
	std::string line = pathx::RejectRecord(p, latin1, "22021", "invalid byte sequence for encoding \"UTF8\": 0xe9");

	BOOST_TEST(line.find('\n') == std::string::npos);
	r = nlohmann::json::parse(line);
	BOOST_TEST(r["text_hex"].get<std::string>() == "7b226e616d65223a20224a6f73e9227d");
	BOOST_TEST(r["text"].get<std::string>() == "{\"name\": \"Jos\xEF\xBF\xBD\"}");
}

BOOST_AUTO_TEST_CASE(bytes_consumed_reaches_the_input_size)
{
	std::string input;

	for (long id = 1; id <= 200; id++)
		input += pathx::GenerateOrder(5, id, 200) + "\n";
	pathx::JsonDocumentSplitter s(pathx::StringReader(input, 1000), 4096);
	std::string doc;
	pathx::DocumentPosition pos;
	long		n = 0;

	while (s.Next(doc, pos))
		BOOST_TEST((doc == pathx::GenerateOrder(5, ++n, 200)));
	BOOST_TEST(n == 200);
	BOOST_TEST(s.BytesConsumed() == input.size());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(load)

BOOST_AUTO_TEST_CASE(ndjson_file_round_trips)
{
	pathx_test::TestDatabase db("pathx_load_ndjson");
	pathx_test::TempDir dir;
	std::string file = dir.Path() + "/orders.ndjson";
	const long	n = 3000;

	BOOST_REQUIRE(pathx_test::RunPathx({"gen", "orders", "--rows", std::to_string(n), "--seed", "3",
		"--out", file}).exit_code == 0);
	pathx_test::CliRun r = pathx_test::RunPathx({"load", file, "--table", "Orders", "--create",
		"--conninfo", db.Conninfo()});

	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(r.Says("Creating table Orders"), r.output);
	BOOST_TEST(r.Says("3,000 rows into Orders(doc)"), r.output);
	BOOST_TEST(r.Says("rows/s"), r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM orders") == n);

	/* escapes, newlines and UTF-8 in the notes survive COPY's text format */
	long		notes = 0;
	pqxx::nontransaction q(db.conn());

	for (long id = 1; id <= n; id++)
	{
		std::string doc = pathx::GenerateOrder(3, id, n);

		if (doc.find("\"note\"") == std::string::npos && id % 500 != 0)
			continue;
		notes++;
		bool		same = q.exec_params1("SELECT doc = $1::jsonb FROM orders WHERE (doc->>'id')::int = $2",
										  doc, id)[0].as<bool>();

		BOOST_TEST(same, "document " << id << " changed on the way in");
	}
	q.commit();
	BOOST_TEST(notes > 6);

	/* a second load appends; with --no-create a missing table is an error */
	r = pathx_test::RunPathx({"load", file, "--table", "orders", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM orders") == 2 * n);
	r = pathx_test::RunPathx({"load", file, "--table", "nosuch", "--no-create", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 1);
	BOOST_TEST(r.Says("table nosuch does not exist"), r.output);
	BOOST_TEST(r.Says("--no-create"), r.output);
	r = pathx_test::RunPathx({"load", file, "--table", "created_by_default", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM created_by_default") == n);
}

BOOST_AUTO_TEST_CASE(json_array_and_stdin_and_column)
{
	pathx_test::TestDatabase db("pathx_load_array");
	pathx_test::TempDir dir;
	std::string file = dir.Path() + "/orders.json";

	BOOST_REQUIRE(pathx_test::RunPathx({"gen", "orders", "--rows", "700", "--format", "array",
		"--out", file}).exit_code == 0);
	{
		pqxx::work	w(db.conn());

		w.exec0("CREATE TABLE events (id bigserial PRIMARY KEY, payload jsonb, note text DEFAULT 'x')");
		w.commit();
	}
	pathx_test::CliRun r = pathx_test::RunPathx({"load", file, "--table", "events", "--column", "payload",
		"--conninfo", db.Conninfo()});

	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM events WHERE payload ? 'status'") == 700);
	BOOST_TEST(Count(db.conn(), "SELECT max((payload->>'id')::int) FROM events") == 700);

	/* standard input: `pathx load - < file` */
	long		peak_kb;
	int			status = RunMeasured({pathx_test::PathxBin(), "load", "-", "--table", "events",
		"--column", "payload", "--conninfo", db.Conninfo()}, file, "", peak_kb);

	BOOST_TEST(status == 0);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM events") == 1400);

	r = pathx_test::RunPathx({"load", file, "--table", "events", "--column", "nope", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 1);
	BOOST_TEST(r.Says("has no column nope"), r.output);
	BOOST_TEST(r.Says("id, payload, note"), r.output);
}

BOOST_AUTO_TEST_CASE(invalid_line_stops_the_load_with_nothing_loaded)
{
	pathx_test::TestDatabase db("pathx_load_invalid");
	pathx_test::TempDir dir;
	std::string file = dir.Path() + "/bad.ndjson";
	std::string text;

	/* the bad line sits deep in a large batch, found by bisection */
	for (long id = 1; id <= 6000; id++)
		text += id == 4321 ? "{\"id\": 4321, \"status\": tru}\n" : pathx::GenerateOrder(1, id, 6000) + "\n";
	WriteFile(file, text);

	pathx_test::CliRun r = pathx_test::RunPathx({"load", file, "--table", "t", "--create",
		"--conninfo", db.Conninfo()});

	BOOST_TEST(r.exit_code == 1, r.output);
	BOOST_TEST(r.Says("document 4321 (line 4321, byte offset " + std::to_string(text.find("{\"id\": 4321")) + ")"),
			   r.output);
	BOOST_TEST(r.Says("Token \"tru\" is invalid"), r.output);
	BOOST_TEST(r.Says("nothing was loaded"), r.output);
	BOOST_TEST(r.Says("--skip-invalid"), r.output);
	/* the table made by --create went with the transaction */
	BOOST_TEST(!TableExists(db.conn(), "t"));

	/* into an existing table: still nothing */
	{
		pqxx::work	w(db.conn());

		w.exec0("CREATE TABLE t (id bigserial PRIMARY KEY, doc jsonb)");
		w.commit();
	}
	r = pathx_test::RunPathx({"load", file, "--table", "t", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 1, r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t") == 0);

	/* an array names the element too */
	std::string arr = dir.Path() + "/bad.json";

	WriteFile(arr, "[\n{\"a\": 1},\n{\"a\": 2},\n{\"a\" 3}\n]\n");
	r = pathx_test::RunPathx({"load", arr, "--table", "t", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 1, r.output);
	BOOST_TEST(r.Says("array element 3 (line 4, byte offset 22)"), r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t") == 0);

	/* a truncated array is a broken file, even with --skip-invalid */
	WriteFile(arr, "[\n{\"a\": 1},\n{\"a\": [2\n");
	r = pathx_test::RunPathx({"load", arr, "--table", "t", "--skip-invalid", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 1, r.output);
	BOOST_TEST(r.Says("truncated"), r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t") == 0);
}

BOOST_AUTO_TEST_CASE(skip_invalid_skips_and_lists)
{
	pathx_test::TestDatabase db("pathx_load_skip");
	pathx_test::TempDir dir;
	std::string file = dir.Path() + "/bad.ndjson";
	std::string text;
	long		bad = 0;

	/* 13 bad documents of several kinds: the first 10 listed, then a count */
	for (long id = 1; id <= 2000; id++)
	{
		if (id % 150 == 0)
		{
			bad++;
			text += bad % 3 == 0 ? "{\"x\": \"\\u0000\"}\n" : bad % 3 == 1 ? "{\"x\": 1,}\n" : "not json\n";
		}
		else
			text += "{\"n\": " + std::to_string(id) + "}\n";
	}
	WriteFile(file, text);

	pathx_test::CliRun r = pathx_test::RunPathx({"load", file, "--table", "t", "--create", "--skip-invalid",
		"--conninfo", db.Conninfo()});

	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(bad == 13);
	BOOST_TEST(r.Says("skipped 13 invalid documents"), r.output);
	BOOST_TEST(r.Says("document 150 (line 150, byte offset "), r.output);
	BOOST_TEST(r.Says("document 1500 (line 1500, byte offset "), r.output);
	BOOST_TEST(!r.Says("line 1650"), r.output);
	BOOST_TEST(r.Says("... and 3 more (--rejects FILE keeps them all)"), r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t") == 2000 - 13);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t WHERE (doc->>'n')::int % 150 = 0") == 0);
}

BOOST_AUTO_TEST_CASE(empty_file_loads_nothing_and_says_so)
{
	pathx_test::TestDatabase db("pathx_load_empty");
	pathx_test::TempDir dir;
	std::string file = dir.Path() + "/empty.ndjson";

	WriteFile(file, "");
	pathx_test::CliRun r = pathx_test::RunPathx({"load", file, "--table", "t", "--create",
		"--conninfo", db.Conninfo()});

	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(r.Says("0 rows"), r.output);
	BOOST_TEST(r.Says("holds no documents (the file is empty)"), r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t") == 0);

	/* "[ ]" on one line: an empty array, or one document? --format says */
	WriteFile(file, "[ ]\n");
	r = pathx_test::RunPathx({"load", file, "--table", "t", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 1, r.output);
	BOOST_TEST(r.Says("--format array"), r.output);
	r = pathx_test::RunPathx({"load", file, "--table", "t", "--format", "array", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(r.Says("an empty JSON array"), r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t") == 0);

	r = pathx_test::RunPathx({"load", dir.Path() + "/missing.ndjson", "--table", "t", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 1);
	BOOST_TEST(r.Says("cannot open"), r.output);
}

BOOST_AUTO_TEST_CASE(format_choice_for_a_one_line_array)
{
	pathx_test::TestDatabase db("pathx_load_format");
	pathx_test::TempDir dir;
	std::string file = dir.Path() + "/one.json";

	/* one NDJSON line or a JSON array of two: auto refuses to guess */
	WriteFile(file, "[1,2]\n");
	pathx_test::CliRun r = pathx_test::RunPathx({"load", file, "--table", "t", "--conninfo", db.Conninfo()});

	BOOST_TEST(r.exit_code == 1, r.output);
	BOOST_TEST(r.Says("one NDJSON document (1 row)"), r.output);
	BOOST_TEST(r.Says("a JSON array of 2 elements (2 rows)"), r.output);
	BOOST_TEST(r.Says("--format array"), r.output);
	BOOST_TEST(r.Says("--format ndjson"), r.output);
	BOOST_TEST(r.Says("nothing was loaded"), r.output);
	BOOST_TEST(!TableExists(db.conn(), "t"));

	/* from standard input too */
	long		peak_kb;
	int			status = RunMeasured({pathx_test::PathxBin(), "load", "-", "--table", "t",
		"--conninfo", db.Conninfo()}, file, "", peak_kb);

	BOOST_TEST(status == 1);
	BOOST_TEST(!TableExists(db.conn(), "t"));

	r = pathx_test::RunPathx({"load", file, "--table", "one", "--format", "ndjson", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM one") == 1);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM one WHERE doc = '[1, 2]'") == 1);
	r = pathx_test::RunPathx({"load", file, "--table", "two", "--format", "array", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM two") == 2);
	BOOST_TEST(Count(db.conn(), "SELECT sum(doc::text::int) FROM two") == 3);

	/* NDJSON whose lines are arrays: rows, in auto and with --format ndjson */
	std::string lines = dir.Path() + "/arrays.ndjson";

	WriteFile(lines, "[1, 2]\n[3]\n[]\n[{\"a\": [4, 5]}]\n");
	r = pathx_test::RunPathx({"load", lines, "--table", "rows_auto", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM rows_auto WHERE jsonb_typeof(doc) = 'array'") == 4);
	r = pathx_test::RunPathx({"load", lines, "--table", "rows_ndjson", "--format", "ndjson",
		"--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM rows_ndjson WHERE jsonb_typeof(doc) = 'array'") == 4);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM rows_ndjson WHERE doc = '[{\"a\": [4, 5]}]'") == 1);

	/* --format array on NDJSON objects */
	WriteFile(lines, "{\"a\": 1}\n");
	r = pathx_test::RunPathx({"load", lines, "--table", "t", "--format", "array", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 1, r.output);
	BOOST_TEST(r.Says("not a JSON array"), r.output);
	BOOST_TEST(pathx_test::RunPathx({"load", lines, "--table", "t", "--format", "xml",
		"--conninfo", db.Conninfo()}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(rejects_file_holds_every_rejected_document)
{
	pathx_test::TestDatabase db("pathx_load_rejects");
	pathx_test::TempDir dir;
	std::string file = dir.Path() + "/dirty.ndjson";
	std::string rejects = dir.Path() + "/rejects.ndjson";
	std::string keep = dir.Path() + "/keep.txt";
	std::string text;

	struct Bad
	{
		long		document;
		long		line;
		std::size_t offset;
		std::string doc;
	};
	std::vector<Bad> bad;
	long		line = 0;
	long		document = 0;

	/* 25 bad documents of four kinds, one of them not UTF-8; blank lines in between */
	for (long i = 1; i <= 3000; i++)
	{
		std::string doc = "{\"n\": " + std::to_string(i) + "}";

		if (i % 120 == 0)
		{
			long		k = i / 120;

			doc = k % 4 == 0 ? "{\"x\": \"\\u0000\"}" : k % 4 == 1 ? "{\"x\": 1,}" :
				k % 4 == 2 ? "not json " + std::to_string(i) : "{\"name\": \"Jos\xE9\"}";
		}
		if (i % 500 == 0)
		{
			text += "\n";
			line++;
		}
		line++;
		document++;
		if (i % 120 == 0)
			bad.push_back(Bad{document, line, text.size(), doc});
		text += doc + "\n";
	}
	WriteFile(file, text);
	BOOST_REQUIRE(bad.size() == 25u);

	/* a link planted where the rejects go: replaced, its target untouched */
	WriteFile(keep, "keep");
	BOOST_REQUIRE(symlink(keep.c_str(), rejects.c_str()) == 0);

	pathx_test::CliRun r = pathx_test::RunPathx({"load", file, "--table", "t", "--rejects", rejects,
		"--conninfo", db.Conninfo()});

	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(r.Says("skipped 25 invalid documents"), r.output);
	BOOST_TEST(r.Says("Wrote 25 rejected documents with positions and messages to " + rejects), r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t") == 3000 - 25);
	BOOST_TEST(ReadFile(keep) == "keep");

	struct stat st;

	BOOST_REQUIRE(lstat(rejects.c_str(), &st) == 0);
	BOOST_TEST(S_ISREG(st.st_mode));

	std::istringstream in(ReadFile(rejects));
	std::string rec;
	size_t		n = 0;

	while (std::getline(in, rec))
	{
		BOOST_REQUIRE(n < bad.size());
		nlohmann::json j = nlohmann::json::parse(rec);
		const Bad  &b = bad[n++];

		BOOST_TEST(j["document"].get<long>() == b.document);
		BOOST_TEST(j["line"].get<long>() == b.line);
		BOOST_TEST(j["byte_offset"].get<std::size_t>() == b.offset);
		BOOST_TEST(j["sqlstate"].get<std::string>().substr(0, 2) == "22");
		BOOST_TEST(!j["message"].get<std::string>().empty());
		if (j.contains("text_hex"))
		{
			BOOST_TEST(b.doc.find('\xE9') != std::string::npos);
			BOOST_TEST(j["text_hex"].get<std::string>() == "7b226e616d65223a20224a6f73e9227d");
			BOOST_TEST(j["message"].get<std::string>().find("UTF8") != std::string::npos, rec);
		}
		else
			BOOST_TEST(j["text"].get<std::string>() == b.doc);
		if (b.doc.find("not json") == 0)
			BOOST_TEST(j["message"].get<std::string>().find("Token \"not\" is invalid") != std::string::npos, rec);
	}
	BOOST_TEST(n == bad.size());

	/* a load that fails leaves the rejects file as it was, and no file of its own */
	{
		pqxx::work	w(db.conn());

		w.exec0("CREATE TABLE c (id bigserial PRIMARY KEY, doc jsonb CHECK ((doc->>'n')::int < 2000))");
		w.commit();
	}
	std::string before = ReadFile(rejects);

	r = pathx_test::RunPathx({"load", file, "--table", "c", "--rejects", rejects, "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 1, r.output);
	BOOST_TEST(ReadFile(rejects) == before);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM c") == 0);
	pathx::RunOptions ro;

	ro.echo = false;
	ro.capture = true;
	BOOST_TEST(pathx::Run({"ls", "-A", dir.Path()}, ro).output == "dirty.ndjson\nkeep.txt\nrejects.ndjson\n");

	/* a directory is refused before anything is loaded */
	r = pathx_test::RunPathx({"load", file, "--table", "t", "--rejects", dir.Path(), "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 2, r.output);
	BOOST_TEST(r.Says("is a directory"), r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t") == 3000 - 25);
}

BOOST_AUTO_TEST_CASE(constraint_errors_name_the_document_in_the_input)
{
	pathx_test::TestDatabase db("pathx_load_check");
	pathx_test::TempDir dir;
	std::string file = dir.Path() + "/orders.ndjson";
	std::string text;
	std::size_t offset = 0;
	long		line = 0;
	long		bad_line = 0;

	/* the refused document is row 2321 of the second COPY batch (5000 rows each) */
	for (long i = 1; i <= 8000; i++)
	{
		if (i % 1000 == 1)
		{
			text += "\n";		/* blank lines: input line numbers differ from document numbers */
			line++;
		}
		line++;
		if (i == 7321)
		{
			offset = text.size();
			bad_line = line;
		}
		text += "{\"n\": " + std::to_string(i) + "}\n";
	}
	WriteFile(file, text);
	{
		pqxx::work	w(db.conn());

		w.exec0("CREATE TABLE t (id bigserial PRIMARY KEY, doc jsonb CHECK ((doc->>'n')::int <> 7321))");
		w.commit();
	}
	pathx_test::CliRun r = pathx_test::RunPathx({"load", file, "--table", "t", "--conninfo", db.Conninfo()});

	BOOST_TEST(r.exit_code == 1, r.output);
	BOOST_TEST(bad_line == 7329);
	BOOST_TEST(r.Says("document 7321 (line 7329, byte offset " + std::to_string(offset) + ")"), r.output);
	BOOST_TEST(r.Says("violates check constraint"), r.output);
	BOOST_TEST(r.Says("SQLSTATE 23514"), r.output);
	BOOST_TEST(r.Says("nothing was loaded"), r.output);
	BOOST_TEST(!r.Says("line 2321"), r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t") == 0);

	/*
	 * The same for an array, in batches of 1000, with --skip-invalid
	 * skipping a bad document (element 1200) on the way: a constraint is
	 * not skipped, and the document it refuses is named by its element.
	 */
	std::string arr = dir.Path() + "/orders.json";
	std::string atext = "[\n";

	for (long i = 1; i <= 3000; i++)
	{
		if (i == 2500)
			offset = atext.size();
		atext += (i == 1200 ? std::string("{\"n\": tru}") : "{\"n\": " + std::to_string(i + 5000) + "}") +
			(i < 3000 ? ",\n" : "\n]\n");
	}
	WriteFile(arr, atext);
	{
		pqxx::work	w(db.conn());

		/* element 2321 holds n = 7321: only the new constraint may refuse a document */
		w.exec0("ALTER TABLE t DROP CONSTRAINT t_doc_check, ADD CHECK ((doc->>'n')::int <> 7500)");
		w.commit();
	}
	r = pathx_test::RunPathx({"load", arr, "--table", "t", "--skip-invalid", "--batch-rows", "1000",
		"--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 1, r.output);
	BOOST_TEST(r.Says("array element 2500 (line 2501, byte offset " + std::to_string(offset) + ")"), r.output);
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t") == 0);
}

/*
 * The loader streams: its peak memory must not grow with the file.  A
 * 30 MB file keeps the suite quick; what proves streaming is that the
 * peak over a 1,000-document load of the same shape stays well under the
 * file's size, which reading the file whole (or the documents of the
 * whole transaction) could not meet.
 */
BOOST_AUTO_TEST_CASE(large_file_streams_in_bounded_memory)
{
	pathx_test::TestDatabase db("pathx_load_large");
	pathx_test::TempDir dir;
	std::string small = dir.Path() + "/small.ndjson";
	std::string file = dir.Path() + "/large.ndjson";
	const long	n = 48000;		/* about 30 MB of JSON */

	BOOST_REQUIRE(pathx_test::RunPathx({"gen", "orders", "--rows", "1000", "--out", small}).exit_code == 0);
	BOOST_REQUIRE(pathx_test::RunPathx({"gen", "orders", "--rows", std::to_string(n), "--out", file}).exit_code == 0);
	struct stat st;

	BOOST_REQUIRE(stat(file.c_str(), &st) == 0);
	BOOST_TEST(st.st_size > 28L * 1024 * 1024);

	std::string log = dir.Path() + "/load.log";
	long		base_kb = 0;
	long		peak_kb = 0;
	int			status = RunMeasured({pathx_test::PathxBin(), "load", small, "--table", "s", "--create",
		"--conninfo", db.Conninfo()}, "", log, base_kb);

	BOOST_TEST(status == 0, ReadFile(log));
	status = RunMeasured({pathx_test::PathxBin(), "load", file, "--table", "t", "--create",
		"--conninfo", db.Conninfo()}, "", log, peak_kb);
	BOOST_TEST(status == 0, ReadFile(log));
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t") == n);
	BOOST_TEST_MESSAGE("peak RSS of pathx load: " << peak_kb / 1024 << " MB for a "
					   << st.st_size / (1024 * 1024) << " MB file, "
					   << base_kb / 1024 << " MB for 1,000 documents");
	BOOST_TEST(peak_kb - base_kb < st.st_size / 1024 / 4,
			   "peak RSS " << peak_kb / 1024 << " MB against " << base_kb / 1024 << " MB");
}

BOOST_AUTO_TEST_SUITE_END()
