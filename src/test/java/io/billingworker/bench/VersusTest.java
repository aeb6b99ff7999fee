package io.billingworker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VersusTest {

    @Test
    void shouldRunTheTwoRowsOfTheIssueWhenVersusHasNoValue() {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("--versus");

        assertThat(Versus.rows(command.versus, command.quick))
                .containsExactly(new Versus.Row(256, 25_600), new Versus.Row(1_024, 102_400));
    }

    @Test
    void shouldRunTheSmokeSizeWithQuick() {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("--versus", "--quick");

        assertThat(Versus.rows(command.versus, command.quick)).containsExactly(new Versus.Row(64, 3_000));
    }

    @Test
    void shouldRunTheGivenRows() {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("--versus", "C=256,N=25600", "--versus", "C=1024, N=102400");

        assertThat(Versus.rows(command.versus, false))
                .containsExactly(new Versus.Row(256, 25_600), new Versus.Row(1_024, 102_400));
        assertThatThrownBy(() -> Versus.Row.parse("C=256")).hasMessageContaining("C=<concurrency>,N=<events>");
    }

    @Test
    void shouldReadTheInputIdOfAParallelConsumerOutput() {
        assertThat(DistinctReader.jsonInId("{\"in_id\":12345,\"input\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(12_345);
        assertThat(DistinctReader.jsonInId("{\"in_id\": 7}".getBytes(StandardCharsets.UTF_8))).isEqualTo(7);
        assertThat(DistinctReader.jsonInId(new byte[] {0, 0, 0, 0, 1, 2})).isEqualTo(-1);
        assertThat(DistinctReader.jsonInId("{\"in_id\":\"x\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    @Test
    void shouldJudgeTheGoalsOnTheMeasuredRatios() {
        List<Versus.Run> runs = List.of(
                run(256, Versus.PC_DESIGN, 1_100, 22, 700, 10, 8),
                run(256, Versus.WORKER_DESIGN, 1_270, 12, 400, 8, 6),
                run(1_024, Versus.PC_DESIGN, 3_300, 38, 690, 40, 20),
                run(1_024, Versus.WORKER_DESIGN, 4_400, 30, 600, 30, 25));

        List<Versus.Goal> goals = Versus.goals(runs);

        assertThat(goals).extracting(Versus.Goal::pass).containsExactly(true, false, false, true, true, true, true);
        assertThat(goals.get(1).measured()).isEqualTo("worker CPU s / PC CPU s = 0.789");
        String markdown = Versus.render(new Versus.Report("now", 1, "Machine: 2 cores", 12, 10_000, 200, "java -jar",
                runs, Versus.ratios(runs), goals));
        assertThat(markdown)
                .contains("| 1,024 | 102,400 | this worker | 4400 | 0.859 | 30.0 | 600 | 30.0 | 25.0 |")
                .contains("- C=1024 N=102400, worker / PC: X 1.333 (4400 / 3300 ev/s)")
                .contains("worker CPU s 0.789 (30.0 / 38.0 s); worker CPU s without JIT and GC threads 0.778 "
                        + "(21.0 / 27.0 s)")
                .contains("| 1,024 | 102,400 | this worker | 4400 | 102400 | 0 | 0 | 3.0 / 30.0 | 2.0 | 7.5 / 1.5 | - "
                        + "|")
                .contains("- FAIL at C=1024: worker CPU s <= 0.6 x PC's: worker CPU s / PC CPU s = 0.789")
                .contains("- PASS at C=256: eta(worker) >= 0.95: eta(worker) = 0.992");
    }

    @Test
    void shouldJudgeTheGoalsOnTheWorkerWithItsAotCacheToo() {
        List<Versus.Run> runs = List.of(
                run(1_024, Versus.PC_DESIGN, 3_300, 70, 690, 40, 20),
                run(1_024, Versus.WORKER_DESIGN, 4_400, 50, 600, 30, 25),
                run(1_024, Versus.WORKER_AOT_DESIGN, 4_600, 40, 560, 30, 25));

        List<Versus.Goal> goals = Versus.goals(runs);

        assertThat(goals).extracting(Versus.Goal::goal).containsExactly(
                "at C=1024: X(worker) >= 1.2 x X(PC)", "at C=1024: worker CPU s <= 0.6 x PC's",
                "at C=1024: broker CPU per event no higher than with PC",
                "at C=1024: stub (API server) CPU per event no higher than with PC", "at C=1024: worker RSS <= PC RSS",
                "at C=256: the two goals",
                "at C=1024: X(worker) >= 1.2 x X(PC) (worker with AOT cache)",
                "at C=1024: worker CPU s <= 0.6 x PC's (worker with AOT cache)",
                "at C=1024: broker CPU per event no higher than with PC (worker with AOT cache)",
                "at C=1024: stub (API server) CPU per event no higher than with PC (worker with AOT cache)",
                "at C=1024: worker RSS <= PC RSS (worker with AOT cache)",
                "at C=256: the two goals (worker with AOT cache)");
        assertThat(goals.get(1)).extracting(Versus.Goal::pass, Versus.Goal::measured)
                .containsExactly(false, "worker CPU s / PC CPU s = 0.714");
        assertThat(goals.get(7)).extracting(Versus.Goal::pass, Versus.Goal::measured)
                .containsExactly(true, "worker CPU s / PC CPU s = 0.571");
        assertThat(Versus.ratios(runs)).hasSize(2).last().asString()
                .startsWith("C=1024 N=102400, worker with AOT cache / PC: X 1.394 (4600 / 3300 ev/s)");
    }

    @Test
    void shouldCompareTheWorkerWithABaselineBuildInItsOwnRatioLineAndLeaveTheGoalsToTheWorker() {
        List<Versus.Run> runs = List.of(
                run(1_024, Versus.PC_DESIGN, 3_300, 70, 690, 40, 20),
                run(1_024, Versus.WORKER_DESIGN, 4_400, 45, 600, 30, 25),
                run(1_024, Versus.BASELINE_DESIGN, 4_000, 50, 750, 30, 25));

        List<String> ratios = Versus.ratios(runs);

        assertThat(ratios).hasSize(2);
        assertThat(ratios.get(0)).startsWith("C=1024 N=102400, worker / PC: X 1.333 (4400 / 3300 ev/s)");
        assertThat(ratios.get(1)).startsWith("C=1024 N=102400, worker / baseline worker: X 1.100 (4400 / 4000 ev/s)")
                .contains("worker CPU s 0.900 (45.0 / 50.0 s)")
                .contains("RSS 0.800 (600 / 750 MB)");
        assertThat(Versus.goals(runs)).extracting(Versus.Goal::goal).noneMatch(goal -> goal.contains("baseline"));
        assertThat(Versus.goals(runs).get(1).measured()).isEqualTo("worker CPU s / PC CPU s = 0.643");
    }

    @Test
    void shouldCompareEachRepeatedRowWithTheRunsOfThatRow() {
        List<Versus.Run> runs = List.of(
                run(1_024, Versus.PC_DESIGN, 3_300, 70, 690, 40, 20),
                run(1_024, Versus.WORKER_DESIGN, 4_400, 45, 600, 30, 25),
                run(1_024, Versus.BASELINE_DESIGN, 4_000, 50, 750, 30, 25),
                run(1_024, Versus.PC_DESIGN, 3_000, 60, 690, 40, 20),
                run(1_024, Versus.BASELINE_DESIGN, 4_200, 40, 750, 30, 25),
                run(1_024, Versus.WORKER_DESIGN, 4_620, 36, 600, 30, 25),
                run(1_024, Versus.PC_DESIGN, 2_100, 60, 690, 40, 20),
                run(1_024, Versus.WORKER_DESIGN, 4_410, 36, 600, 30, 25),
                run(1_024, Versus.BASELINE_DESIGN, 4_900, 40, 750, 30, 25));

        // The second row's worker ran last, right before the third row's PC: it is still compared with its own row.
        assertThat(Versus.ratios(runs)).hasSize(6).satisfiesExactly(
                first -> assertThat(first).contains("worker / PC: X 1.333 (4400 / 3300 ev/s)"),
                second -> assertThat(second).contains("worker / PC: X 1.540 (4620 / 3000 ev/s)"),
                third -> assertThat(third).contains("worker / PC: X 2.100 (4410 / 2100 ev/s)"),
                fourth -> assertThat(fourth).contains("worker / baseline worker: X 1.100 (4400 / 4000 ev/s)"),
                fifth -> assertThat(fifth).contains("worker / baseline worker: X 1.100 (4620 / 4200 ev/s)")
                        .contains("worker CPU s 0.900 (36.0 / 40.0 s)"),
                sixth -> assertThat(sixth).contains("worker / baseline worker: X 0.900 (4410 / 4900 ev/s)"));
    }

    @Test
    void shouldWarmUpTheStubWithSessionRequestsAndSayHowManyWereAnswered() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        // Like the harness's stub: a deep accept backlog and a thread per exchange, so 512 connections at once are
        // taken, not refused.
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1_024);
        ExecutorService exchanges = Executors.newVirtualThreadPerTaskExecutor();
        stub.setExecutor(exchanges);
        stub.createContext("/session", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (exchange.getRequestMethod().equals("POST") && body.contains("\"order_id\":\"warmup_")) {
                posts.incrementAndGet();
            }
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        stub.start();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            Versus.warmUpStub(stub.getAddress().getPort(), 300,
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
        } finally {
            stub.stop(0);
            exchanges.close();
        }

        assertThat(posts).hasValue(300);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .startsWith("Stub warmed up: 300 of 300 requests answered in ");
    }

    @Test
    void shouldRefuseABaselineJarThatIsNotThere(@TempDir Path dir) {
        Path missing = dir.resolve("old-build.jar");

        assertThatThrownBy(() -> new Versus(Versus.FULL, dir, null, dir, Duration.ofSeconds(1), false, missing,
                        System.out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--baseline-jar: no such file: " + missing);
    }

    private static Versus.Run run(int concurrency, String design, double x, double cpu, double rss, double stub,
            double broker) {
        int events = concurrency * 100;
        return new Versus.Run(concurrency, events, design, true, events, events, 0, 0, 0, Map.of(), x, x,
                x / (concurrency / 0.2), cpu, rss, stub, broker, 30, 2, 3, cpu / 4, 1.5, -1, -1, true, "java",
                "log", "");
    }
}
