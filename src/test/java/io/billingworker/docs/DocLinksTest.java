package io.billingworker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the front page, {@code docs/*.md} and the Helm chart's README resolves: the file or folder
 * exists, and a {@code #fragment} names a heading of the linked Markdown file (GitHub's anchor of that heading).
 * Links inside code blocks and inline code are not links; absolute URLs are not checked (no network here).
 */
class DocLinksTest {

    private static final Pattern LINK = Pattern.compile("(?<!!)\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

    @Test
    void shouldResolveEveryRelativeLinkOfTheDocumentation() throws IOException {
        List<String> broken = new ArrayList<>();

        for (Path file : documents()) {
            for (String target : links(file)) {
                String problem = problem(file, target);
                if (problem != null) {
                    broken.add(file + ": " + target + ": " + problem);
                }
            }
        }

        assertThat(broken).isEmpty();
    }

    @Test
    void shouldCheckTheFrontPageEveryDocAndTheChartReadme() throws IOException {
        List<Path> documents = documents();

        assertThat(documents).contains(Path.of("README.md"), Path.of("docs/contract.md"),
                Path.of("docs/configuration.md"), Path.of("docs/operations.md"), Path.of("docs/runbooks.md"),
                Path.of("docs/dead-letters.md"), Path.of("docs/reliability.md"), Path.of("docs/performance.md"),
                Path.of("helm/billing-session-worker/README.md"));
        assertThat(links(Path.of("README.md"))).contains("docs/contract.md", "docs/configuration.md",
                "docs/operations.md", "docs/runbooks.md", "docs/dead-letters.md", "docs/reliability.md",
                "docs/performance.md", "helm/billing-session-worker/README.md");
    }

    @Test
    void shouldKeepTheFrontPageShort() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);

        assertThat(lines).hasSizeLessThanOrEqualTo(300);
    }

    @Test
    void shouldMakeGitHubAnchorsOfHeadings() {
        assertThat(anchor("Trying it locally: docker compose")).isEqualTo("trying-it-locally-docker-compose");
        assertThat(anchor("Juspay's pages over our first draft")).isEqualTo("juspays-pages-over-our-first-draft");
        assertThat(anchor("`dlt inspect` and `replay`")).isEqualTo("dlt-inspect-and-replay");
        assertThat(anchor("Measured on 2026-11-23 (2 cores)")).isEqualTo("measured-on-2026-11-23-2-cores");
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md"),
                Path.of("helm/billing-session-worker/README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    /** The link targets of {@code file} outside fenced code blocks and inline code. */
    private static List<String> links(Path file) throws IOException {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (link.find()) {
                targets.add(link.group(1));
            }
        }
        return targets;
    }

    private static String problem(Path from, String target) {
        if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
            return null;
        }
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = pathPart.isEmpty() ? from : from.toAbsolutePath().getParent().resolve(pathPart).normalize();
        if (!Files.exists(resolved)) {
            return "no such file or folder " + resolved;
        }
        if (fragment == null) {
            return null;
        }
        if (!resolved.toString().endsWith(".md")) {
            return "an anchor into a file that is not Markdown";
        }
        Set<String> anchors = anchors(resolved);
        return anchors.contains(fragment) ? null : "no heading with anchor #" + fragment + " (has " + anchors + ")";
    }

    /** GitHub's anchors of the headings of {@code file}: repeated headings get -1, -2, ... */
    private static Set<String> anchors(Path file) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.strip().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                Matcher heading = HEADING.matcher(line);
                if (!fenced && heading.matches()) {
                    String anchor = anchor(heading.group(1));
                    int count = seen.merge(anchor, 1, Integer::sum);
                    anchors.add(count == 1 ? anchor : anchor + "-" + (count - 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return anchors;
    }

    /** Lower case, punctuation other than {@code -} and {@code _} dropped, each space a {@code -}. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\s_-]", "").replace(' ', '-');
    }
}
