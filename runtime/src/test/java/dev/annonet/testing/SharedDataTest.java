package dev.annonet.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SharedDataTest {

  @Test
  void onlyCiTrueMakesTheDataRequired() {
    assertTrue(SharedData.ciRequiresData("true"));
    assertTrue(SharedData.ciRequiresData("TRUE"));
    assertFalse(SharedData.ciRequiresData(null));
    assertFalse(SharedData.ciRequiresData(""));
    assertFalse(SharedData.ciRequiresData("false"));
    assertFalse(SharedData.ciRequiresData("1"));
  }
}
