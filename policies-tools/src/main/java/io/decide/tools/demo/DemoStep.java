package io.decide.tools.demo;

/**
 * One step of a demo. Steps share state through the {@link DemoContext}, print what they do with
 * {@link DemoContext#note(String)}, and record broken expectations with {@link DemoContext#check(boolean, String)}
 * rather than throwing; an exception ends the demo (finishing steps still run).
 */
public interface DemoStep
{
    /** @return what the step does, one line, printed before it runs. */
    String title();

    /**
     * Run the step.
     *
     * @param context shared state.
     * @throws Exception when the step cannot continue; the runner reports it and skips to the finishing steps.
     */
    void run(DemoContext context) throws Exception;
}
