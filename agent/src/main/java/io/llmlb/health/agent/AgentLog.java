package io.llmlb.health.agent;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Where the agent's few lines go: java.util.logging in production, a list in tests. */
public interface AgentLog {

    void info(String message);

    void warn(String message);

    /** Lines to {@code logger}, at INFO and WARNING. */
    static AgentLog of(Logger logger) {
        return new AgentLog() {
            @Override
            public void info(String message) {
                logger.logp(Level.INFO, logger.getName(), null, message);
            }

            @Override
            public void warn(String message) {
                logger.logp(Level.WARNING, logger.getName(), null, message);
            }
        };
    }
}
