package io.billingworker.serde;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Resolver;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * The reader schema matched to one writer schema, whatever names the writer gave its records and enums (see
 * docs/publishing.md). Upstream teams generate their own copies of the contract with their own namespaces and
 * record names; Avro's resolution matches named types by full name, so such a copy would not resolve.
 *
 * <p>The match walks both schemas from the top-level record down: a reader field is paired with the writer field of
 * the same name, one of the reader field's aliases, or the writer field that lists the reader field's name among its
 * aliases; nested records, enums and fixed types are paired by position (a field's type, a union's branch of the same
 * kind, an array's items, a map's values). Each reader named type paired with a differently named writer type gets the
 * writer's full name as an alias, and each reader field gets the writer field's name, in a copy of the reader schema.
 * Avro's own resolution then reads the data: defaults for fields the writer lacks, writer fields the reader lacks
 * skipped, promotions (int to long, float, double; long to float, double; float to double; string and bytes).
 *
 * <p>What cannot be resolved is listed with the field it concerns: a reader field without default the writer lacks,
 * a type that cannot be promoted, a writer union branch the reader cannot take. Writer enum symbols the reader's enum
 * lacks (and has no default for) do not fail the schema: a record carrying one fails when it is read
 * ({@link #unknownSymbolFields(String)} names where such a symbol can appear).
 */
final class WriterSchemaMatch {

    private static final int MAX_LISTED = 12;

    private final Schema reader;
    private final Schema writer;
    private final List<String> missingFields = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Set<String>> unknownSymbols = new LinkedHashMap<>();
    private final Map<Schema, Set<Schema>> seen = new IdentityHashMap<>();

    private WriterSchemaMatch(Schema reader, Schema writer) {
        this.reader = reader;
        this.writer = writer;
    }

    /**
     * Matches {@code writer} to a copy of {@code reader}; {@code reader} itself is not changed.
     *
     * @param reader the schema the data is read as, typically a generated class's
     * @param writer the schema the data was written with
     */
    static WriterSchemaMatch of(Schema reader, Schema writer) {
        WriterSchemaMatch match = new WriterSchemaMatch(new Schema.Parser().parse(reader.toString()), writer);
        match.pair(match.reader, writer, "");
        if (match.resolvable()) {
            match.crossCheck();
        }
        return match;
    }

    /** Whether records written with the writer schema can be read (unknown enum symbols aside). */
    boolean resolvable() {
        return missingFields.isEmpty() && problems.isEmpty();
    }

    /** The copy of the reader schema with the writer's names as aliases: read with this one. */
    Schema reader() {
        return reader;
    }

    /**
     * What cannot be resolved, naming the fields, e.g. {@code field customer.customer_id is required (no default)
     * and missing from the writer schema; amount: the writer's int cannot be read as string}. Empty when resolvable.
     */
    String problems() {
        List<String> all = new ArrayList<>();
        if (missingFields.size() == 1) {
            all.add("field " + missingFields.getFirst()
                    + " is required (no default) and missing from the writer schema");
        } else if (!missingFields.isEmpty()) {
            all.add("fields " + listed(missingFields)
                    + " are required (no default) and missing from the writer schema");
        }
        all.addAll(problems);
        return String.join("; ", all);
    }

    /**
     * The fields where the writer can put {@code symbol} though the reader's enum there lacks it, e.g.
     * {@code mandate.frequency (enum io.billingworker.avro.Frequency)}; empty when the symbol is not one of them.
     */
    List<String> unknownSymbolFields(String symbol) {
        return List.copyOf(unknownSymbols.getOrDefault(symbol, Set.of()));
    }

    /** Whether some writer enum has symbols the reader's enum lacks. */
    boolean hasUnknownSymbols() {
        return !unknownSymbols.isEmpty();
    }

    private void pair(Schema r, Schema w, String path) {
        if (w.getType() == Schema.Type.UNION) {
            for (Schema branch : w.getTypes()) {
                Schema target = r.getType() == Schema.Type.UNION ? branchFor(r, branch)
                        : matching(r, branch) ? r : null;
                if (target == null) {
                    problems.add(at(path) + "the writer's " + describe(branch)
                            + " (a branch of its union) cannot be read as " + describe(r));
                } else {
                    pair(target, branch, path);
                }
            }
            return;
        }
        if (r.getType() == Schema.Type.UNION) {
            Schema target = branchFor(r, w);
            if (target == null) {
                problems.add(at(path) + "the writer's " + describe(w) + " cannot be read as " + describe(r));
            } else {
                pair(target, w, path);
            }
            return;
        }
        if (!matching(r, w)) {
            problems.add(at(path) + "the writer's " + describe(w) + " cannot be read as " + describe(r));
            return;
        }
        switch (r.getType()) {
            case RECORD -> records(r, w, path);
            case ENUM -> enums(r, w, path);
            case FIXED -> {
                alias(r, w);
                if (r.getFixedSize() != w.getFixedSize()) {
                    problems.add(at(path) + "the writer's fixed size " + w.getFixedSize() + " differs from "
                            + r.getFixedSize());
                }
            }
            case ARRAY -> pair(r.getElementType(), w.getElementType(), path + "[]");
            case MAP -> pair(r.getValueType(), w.getValueType(), path + "{}");
            default -> {
                // a primitive the writer's can be read as (same type or a promotion)
            }
        }
    }

    private void records(Schema r, Schema w, String path) {
        if (!seen.computeIfAbsent(r, key -> Collections.newSetFromMap(new IdentityHashMap<>())).add(w)) {
            return; // a recursive record met again: already being matched
        }
        alias(r, w);
        for (Schema.Field field : r.getFields()) {
            String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            Schema.Field written = writerField(w, field);
            if (written == null) {
                if (!field.hasDefaultValue()) {
                    missingFields.add(fieldPath);
                }
                continue;
            }
            if (!written.name().equals(field.name()) && !field.aliases().contains(written.name())) {
                field.addAlias(written.name());
            }
            pair(field.schema(), written.schema(), fieldPath);
        }
    }

    private void enums(Schema r, Schema w, String path) {
        alias(r, w);
        if (r.getEnumDefault() != null) {
            return; // Avro reads a symbol the reader lacks as the reader's default
        }
        for (String symbol : w.getEnumSymbols()) {
            if (!r.hasEnumSymbol(symbol)) {
                unknownSymbols.computeIfAbsent(symbol, key -> new LinkedHashSet<>())
                        .add((path.isEmpty() ? "the value" : path) + " (enum " + r.getFullName() + ")");
            }
        }
    }

    /** The writer field read as reader field {@code field}: by name, the reader's aliases, or the writer's aliases. */
    private static Schema.Field writerField(Schema w, Schema.Field field) {
        Schema.Field byName = w.getField(field.name());
        if (byName != null) {
            return byName;
        }
        for (String alias : field.aliases()) {
            if (w.getField(alias) != null) {
                return w.getField(alias);
            }
        }
        for (Schema.Field candidate : w.getFields()) {
            if (candidate.aliases().contains(field.name())) {
                return candidate;
            }
        }
        return null;
    }

    /** The branch of reader union {@code r} that reads writer schema {@code w}, preferring the closest name. */
    private static Schema branchFor(Schema r, Schema w) {
        List<Schema> sameKind = r.getTypes().stream().filter(branch -> branch.getType() == w.getType()).toList();
        if (isNamed(w)) {
            for (Schema branch : sameKind) {
                if (branch.getFullName().equals(w.getFullName()) || branch.getAliases().contains(w.getFullName())) {
                    return branch;
                }
            }
            for (Schema branch : sameKind) {
                if (branch.getName().equals(w.getName()) || shortNames(w.getAliases()).contains(branch.getName())) {
                    return branch;
                }
            }
            return sameKind.size() == 1 ? sameKind.getFirst() : null;
        }
        if (!sameKind.isEmpty()) {
            return sameKind.getFirst();
        }
        return r.getTypes().stream().filter(branch -> promotes(w.getType(), branch.getType())).findFirst().orElse(null);
    }

    private static boolean matching(Schema r, Schema w) {
        return r.getType() == w.getType() || promotes(w.getType(), r.getType());
    }

    private static boolean promotes(Schema.Type from, Schema.Type to) {
        return switch (from) {
            case INT -> to == Schema.Type.LONG || to == Schema.Type.FLOAT || to == Schema.Type.DOUBLE;
            case LONG -> to == Schema.Type.FLOAT || to == Schema.Type.DOUBLE;
            case FLOAT -> to == Schema.Type.DOUBLE;
            case STRING -> to == Schema.Type.BYTES;
            case BYTES -> to == Schema.Type.STRING;
            default -> false;
        };
    }

    /** Lets Avro's resolution pair the two named types whatever the writer called its own. */
    private static void alias(Schema r, Schema w) {
        if (!r.getFullName().equals(w.getFullName()) && !r.getAliases().contains(w.getFullName())) {
            r.addAlias(w.getName(), w.getNamespace() == null ? "" : w.getNamespace());
        }
    }

    /**
     * Avro's own resolution of the matched pair, the one the read will use, to catch what the walk above does not
     * model. An enum symbol the reader lacks is not an error here: Avro fails only a record that carries it.
     */
    private void crossCheck() {
        List<String> errors = new ArrayList<>();
        collectErrors(Resolver.resolve(writer, reader, GenericData.get()), errors,
                Collections.newSetFromMap(new IdentityHashMap<>()));
        problems.addAll(errors);
    }

    private static void collectErrors(Resolver.Action action, List<String> errors, Set<Resolver.Action> visited) {
        if (action == null || !visited.add(action)) {
            return;
        }
        switch (action) {
            case Resolver.ErrorAction error -> errors.add(error.toString());
            case Resolver.RecordAdjust record -> {
                for (Resolver.Action field : record.fieldActions) {
                    collectErrors(field, errors, visited);
                }
            }
            case Resolver.Container container -> collectErrors(container.elementAction, errors, visited);
            case Resolver.WriterUnion union -> {
                for (Resolver.Action branch : union.actions) {
                    collectErrors(branch, errors, visited);
                }
            }
            case Resolver.ReaderUnion union -> collectErrors(union.actualAction, errors, visited);
            default -> {
                // DoNothing, Promote, EnumAdjust, Skip: nothing fails the schema
            }
        }
    }

    private static boolean isNamed(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> true;
            default -> false;
        };
    }

    private static Set<String> shortNames(Set<String> fullNames) {
        return fullNames.stream().map(name -> name.substring(name.lastIndexOf('.') + 1)).collect(Collectors.toSet());
    }

    private static String at(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    private static String describe(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> schema.getType().getName() + " " + schema.getFullName();
            case ARRAY -> "array of " + describe(schema.getElementType());
            case MAP -> "map of " + describe(schema.getValueType());
            case UNION -> schema.getTypes().stream().map(WriterSchemaMatch::describe)
                    .collect(Collectors.joining(", ", "union [", "]"));
            default -> schema.getType().getName();
        };
    }

    private static String listed(List<String> items) {
        return items.size() <= MAX_LISTED ? String.join(", ", items)
                : String.join(", ", items.subList(0, MAX_LISTED)) + " and " + (items.size() - MAX_LISTED) + " more";
    }
}
