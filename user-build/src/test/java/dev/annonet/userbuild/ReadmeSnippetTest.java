package dev.annonet.userbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Maven snippet is the user project's pom, block for block: the project the
 * invoker builds and runs is what a user gets by pasting the README.
 */
class ReadmeSnippetTest {
  private static final Path README = Path.of("../README.md");
  private static final Path USER_POM = Path.of("src/it/user-project/pom.xml");

  @Test
  void theReadmeShowsTheUserProjectsBlocksUnchanged() throws IOException {
    List<String> pomBlocks = markedBlocks(Files.readString(USER_POM));
    assertEquals(2, pomBlocks.size(), "the user pom marks its dependencies and its build");
    String readme = Files.readString(README);
    String section = section(readme, "## Adding Annonet to a Maven build");
    List<String> readmeBlocks = fenced(section, "xml");
    String version = System.getProperty("annonet.version");
    assertTrue(version != null && !version.isEmpty(), "surefire passes the project version");
    for (String block : pomBlocks) {
      String expected = block.replace("@project.version@", version);
      assertTrue(readmeBlocks.contains(expected),
          "the README's Maven section should show, as an ```xml block:\n" + expected
              + "\nbut shows:\n" + String.join("\n---\n", readmeBlocks));
    }
  }

  /** The text between each {@code <!-- README:name -->} and {@code <!-- /README -->}, dedented. */
  static List<String> markedBlocks(String pom) {
    Matcher m = Pattern.compile("<!-- README:\\w+ -->\\n(.*?)\\n\\s*<!-- /README -->",
        Pattern.DOTALL).matcher(pom);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1).stripIndent().strip());
    }
    return blocks;
  }

  /** The README section that starts at {@code heading}, up to the next heading of its level. */
  static String section(String readme, String heading) {
    int start = readme.indexOf("\n" + heading + "\n");
    assertTrue(start >= 0, "the README has a section '" + heading + "'");
    int end = readme.indexOf("\n## ", start + heading.length() + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  /** The contents of each fenced code block of {@code language}. */
  static List<String> fenced(String text, String language) {
    Matcher m = Pattern.compile("```" + language + "\\n(.*?)\\n```", Pattern.DOTALL)
        .matcher(text);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1).strip());
    }
    return blocks;
  }
}
