import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in this JVM, for Zeitung's tests: the jars come from Maven Central
 * (pom.xml), so no distribution has to be downloaded. Node's constructor that takes plugin
 * classes is protected, hence the subclass; the plugins a distribution loads from its
 * modules/ folder are passed explicitly (HTTP/transport over Netty, the analysis filters).
 *
 * Settings come from system properties "os.*" (os.http.port=9200 becomes http.port=9200);
 * path.home and path.data must be given. The main thread waits until the JVM is told to stop
 * (SIGTERM runs the shutdown hook, which closes the node).
 */
public final class ZeitungNode extends Node {
    private ZeitungNode(Settings settings) {
        super(
            InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(), null, () -> "zeitung-test"),
            List.of(Netty4Plugin.class, CommonAnalysisPlugin.class),
            true
        );
    }

    public static void main(String[] args) throws Exception {
        Settings.Builder builder = Settings.builder();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("os.") && !name.equals("os.name") && !name.equals("os.arch")
                    && !name.equals("os.version")) {
                builder.put(name.substring(3), System.getProperty(name));
            }
        }
        Settings settings = builder.build();
        Files.createDirectories(Path.of(settings.get("path.home")));
        LogConfigurator.configureWithoutConfig(settings);
        ZeitungNode node = new ZeitungNode(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "zeitung-node-shutdown"));
        node.start();
        // A non-daemon thread that lives as long as the node: the main thread.
        stopped.await();
    }
}
