/*
 * load_test.cpp
 *	  Tests of the streaming splitter (json_stream.h) and `pathx load`.
 *
 * The splitter cases need nothing: they feed strings through readers that
 * return a few bytes at a time, so every chunk boundary is crossed inside
 * strings, escapes and CRLF pairs.  The load cases run the built pathx
 * against a database of their own in the harness cluster
 * (PXTEST_CONNINFO; without it they fail and say so): NDJSON, a JSON
 * array, an invalid line that must stop the load with nothing loaded,
 * --skip-invalid, an empty file, and a ~200 MB file loaded with a peak
 * resident size far below the file size.
 */
#include "cli_test_util.h"
#include "json_stream.h"
#include "orders_gen.h"
#include "../integration/test_database.h"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
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
};

/* Splits `input`, reading `max_read` bytes per call into a small buffer. */
std::vector<Doc>
Split(const std::string &input, std::size_t max_read, pathx::StreamFormat *format = nullptr)
{
	pathx::JsonDocumentSplitter s(pathx::StringReader(input, max_read), 16);
	std::vector<Doc> out;
	std::string doc;
	pathx::DocumentPosition pos;

	while (s.Next(doc, pos))
		out.push_back(Doc{doc, pos.line, pos.element});
	if (format != nullptr)
		*format = s.Format();
	return out;
}

/* The same split at several read sizes must give the same documents. */
std::vector<Doc>
SplitEverywhere(const std::string &input, pathx::StreamFormat *format = nullptr)
{
	std::vector<Doc> ref = Split(input, 1 << 20, format);

	for (std::size_t max_read : {1, 2, 3, 7, 16})
	{
		std::vector<Doc> other = Split(input, max_read);

		BOOST_TEST_REQUIRE(other.size() == ref.size());
		for (size_t i = 0; i < ref.size(); i++)
		{
			BOOST_TEST(other[i].text == ref[i].text);
			BOOST_TEST(other[i].line == ref[i].line);
			BOOST_TEST(other[i].element == ref[i].element);
		}
	}
	return ref;
}

/* The message of the JsonStreamError `input` raises, or "" if none. */
std::string
SplitError(const std::string &input)
{
	try
	{
		Split(input, 3);
	}
	catch (const pathx::JsonStreamError &e)
	{
		return e.what();
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
	BOOST_TEST(d[1].text == "{\"b\": \"x\\\"y\"}");
	BOOST_TEST(d[1].line == 5);
	BOOST_TEST(d[2].text == "[1, 2]");
	BOOST_TEST(d[2].line == 7);
	BOOST_TEST(d[3].text == "{\"c\": 3}");
	BOOST_TEST(d[3].line == 8);
	BOOST_TEST(d[3].element == 0);
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
}

BOOST_AUTO_TEST_CASE(empty_elements_go_to_the_server)
{
	/* [1,,2] and a trailing comma: the server rejects "" in its own words */
	std::vector<Doc> d = SplitEverywhere("[1,,2, ]");

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

	e = SplitError("[1, 2]\n[3]\n");
	BOOST_TEST(e.find("after the end of the JSON array, at line 2") != std::string::npos, e);

	e = SplitError("[1, 2}]");
	BOOST_TEST(e.find("closes nothing") != std::string::npos, e);
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
	BOOST_TEST(r.Says("line 4321"), r.output);
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
	BOOST_TEST(r.Says("line 4 (array element 3)"), r.output);
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
	BOOST_TEST(r.Says("line 150: "), r.output);
	BOOST_TEST(r.Says("line 1500: "), r.output);
	BOOST_TEST(!r.Says("line 1650: "), r.output);
	BOOST_TEST(r.Says("... and 3 more"), r.output);
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

	WriteFile(file, "[ ]\n");
	r = pathx_test::RunPathx({"load", file, "--table", "t", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(r.Says("an empty JSON array"), r.output);

	r = pathx_test::RunPathx({"load", dir.Path() + "/missing.ndjson", "--table", "t", "--conninfo", db.Conninfo()});
	BOOST_TEST(r.exit_code == 1);
	BOOST_TEST(r.Says("cannot open"), r.output);
}

BOOST_AUTO_TEST_CASE(large_file_streams_in_bounded_memory)
{
	pathx_test::TestDatabase db("pathx_load_large");
	pathx_test::TempDir dir;
	std::string file = dir.Path() + "/large.ndjson";
	const long	n = 320000;	/* about 200 MB of JSON */

	BOOST_REQUIRE(pathx_test::RunPathx({"gen", "orders", "--rows", std::to_string(n), "--out", file}).exit_code == 0);
	struct stat st;

	BOOST_REQUIRE(stat(file.c_str(), &st) == 0);
	BOOST_TEST(st.st_size > 190L * 1024 * 1024);

	std::string log = dir.Path() + "/load.log";
	long		peak_kb = 0;
	int			status = RunMeasured({pathx_test::PathxBin(), "load", file, "--table", "t", "--create",
		"--conninfo", db.Conninfo()}, "", log, peak_kb);

	BOOST_TEST(status == 0, ReadFile(log));
	BOOST_TEST(Count(db.conn(), "SELECT count(*) FROM t") == n);
	BOOST_TEST_MESSAGE("peak RSS of pathx load: " << peak_kb / 1024 << " MB for a "
					   << st.st_size / (1024 * 1024) << " MB file");
	BOOST_TEST(peak_kb < 64L * 1024, "peak RSS " << peak_kb / 1024 << " MB");
}

BOOST_AUTO_TEST_SUITE_END()
