package health.direct.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.TryCatchBlock;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import health.direct.core.DirectException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the compiled classes: core knows no network and
 * no front end, transport knows no use case, the application layer knows no front end, no module
 * has a package cycle, and the command line decides no policy (it catches no specific domain
 * exception to pick a branch: that is the use cases' job).
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("health.direct");
  }

  @Test
  void coreDependsOnNoOtherModule() {
    noClasses().that().resideInAPackage("health.direct.core..")
        .should().dependOnClassesThat().resideInAnyPackage("health.direct.transport..", "health.direct.app..",
            "health.direct.cli..", "health.direct.web..", "health.direct.sandbox..", "health.direct.testkit..")
        .because("the core holds the rules and formats, with no servers and no network code")
        .check(classes);
  }

  @Test
  void transportKnowsNoUseCaseAndNoFrontEnd() {
    noClasses().that().resideInAPackage("health.direct.transport..")
        .should().dependOnClassesThat().resideInAnyPackage("health.direct.app..", "health.direct.cli..",
            "health.direct.web..", "health.direct.sandbox..")
        .check(classes);
  }

  @Test
  void applicationLayerKnowsNoFrontEnd() {
    noClasses().that().resideInAPackage("health.direct.app..")
        .should().dependOnClassesThat().resideInAnyPackage("health.direct.cli..", "health.direct.web..",
            "health.direct.sandbox..")
        .check(classes);
  }

  @Test
  void theWebFrontEndKnowsNoOtherFrontEndAndNoTransport() {
    noClasses().that().resideInAPackage("health.direct.web..")
        .should().dependOnClassesThat().resideInAnyPackage("health.direct.cli..", "health.direct.sandbox..",
            "health.direct.transport..")
        .because("the web client presents what the application layer's use cases return")
        .check(classes);
  }

  @Test
  void noModuleHasAPackageCycle() {
    for (String module : new String[] {"core", "transport", "app", "web"}) {
      slices().matching("health.direct." + module + ".(*)..").should().beFreeOfCycles().check(classes);
    }
  }

  @Test
  void frontEndsReachTheHomesStoresOnlyThroughTheApplicationLayer() {
    noClasses().that().resideInAnyPackage("health.direct.cli..", "health.direct.web..")
        .should().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
            com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                com.tngtech.archunit.base.DescribedPredicate.describe("a store of the home", ArchitectureTest::isStore))))
        .orShould().callConstructorWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
            com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                com.tngtech.archunit.base.DescribedPredicate.describe("a store of the home", ArchitectureTest::isStore))))
        .because("identities, anchors, contacts and secrets are administered by the use cases of app.admin and "
            + "app.contacts, which keep the session's view of them current and decide the rules (pinning only "
            + "what was verified out of band)")
        .check(classes);
  }

  private static boolean isStore(JavaClass c) {
    return java.util.Set.of("IdentityStore", "AnchorStore", "ContactStore", "SecretStore").contains(c.getSimpleName())
        && c.getPackageName().equals("health.direct.core.store");
  }

  @Test
  void frontEndsCatchNoDomainExceptionToChooseAPolicy() {
    ArchRule rule = noClasses().that().resideInAnyPackage("health.direct.cli..", "health.direct.web..")
        .should(catchSpecificDomainExceptions())
        .because("a front end parses, calls a use case and presents the result; the branch a domain "
            + "exception selects (risk 1's unsecured path, for one) is decided in the application layer");
    rule.check(classes);
  }

  /** Catching a subclass of DirectException (a specific domain outcome), as opposed to reporting any failure. */
  private static ArchCondition<JavaClass> catchSpecificDomainExceptions() {
    DescribedPredicate<JavaClass> specific = new DescribedPredicate<>("a specific domain exception") {
      @Override
      public boolean test(JavaClass c) {
        return c.isAssignableTo(DirectException.class) && !c.isEquivalentTo(DirectException.class);
      }
    };
    return new ArchCondition<>("catch " + specific.getDescription()) {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        for (JavaCodeUnit unit : c.getCodeUnits()) {
          for (TryCatchBlock block : unit.getTryCatchBlocks()) {
            for (JavaClass caught : block.getCaughtThrowables()) {
              if (specific.test(caught)) {
                events.add(SimpleConditionEvent.satisfied(c, unit.getFullName() + " catches " + caught.getName()
                    + " (" + block.getSourceCodeLocation() + ")"));
              }
            }
          }
        }
      }
    };
  }
}
